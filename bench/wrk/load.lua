-- wrk script for bench/load.py.
--
-- By default wrk sends the same GET again and again (with the -H headers).
-- With CHECKIN_PATH set, every request is instead a check-in POST whose answers
-- differ from the one before: the pain scores rotate and the note carries the
-- thread and request number, so each POST really changes the check-in (a new
-- saved version, summaries refreshed, flag rules run), never a repeat that the
-- app would recognise and skip.
--
-- done() prints one line, LOAD_RESULT followed by JSON, that load.py reads.

local checkin_path = os.getenv("CHECKIN_PATH")
local csrf_token = os.getenv("CHECKIN_CSRF_TOKEN")
local submission_token = os.getenv("CHECKIN_SUBMISSION_TOKEN")

local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_number", thread_count)
end

if checkin_path then
  local post_headers = nil
  local sent = 0

  function init(args)
    post_headers = {}
    for name, value in pairs(wrk.headers) do
      post_headers[name] = value
    end
    post_headers["Content-Type"] = "application/x-www-form-urlencoded"
  end

  function request()
    sent = sent + 1
    local body = string.format(
      "csrfmiddlewaretoken=%s&submission_token=%s&neck_back_pain=%d&limb_pain=%d"
        .. "&numbness=same&weakness=none&extent=same&note=Load+test+%d-%d",
      csrf_token, submission_token, 2 + sent % 4, 1 + (sent * 3) % 4, thread_number, sent
    )
    return wrk.format("POST", checkin_path, post_headers, body)
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'LOAD_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, errors.connect, errors.read, errors.write, errors.status,
    errors.timeout
  ))
end
