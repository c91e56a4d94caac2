/*
 * Timers for the guided exercise session (templates/guided/exercise.html).
 *
 * Progressive enhancement: without this script the page is a plain form and
 * the timer card stays hidden. The prescription comes from the card's data
 * attributes (tracker/guided/timers.py): a hold countdown for each repetition,
 * a counter the patient taps when nothing is held, a countdown of the minutes
 * for timed activities, and a rest between sets and sides. data-scale speeds
 * everything up in tests. Beep and vibration are off until the patient turns
 * them on; with "reduce motion" set, the bar moves in whole-second steps.
 * No inline script or style is used (the site's CSP forbids both).
 */
(function () {
  "use strict";

  var HOLD = "hold";
  var RELAX = "relax";
  var REST = "rest";
  var TALLY = "tally";
  var ACTIVITY = "activity";
  var SIDE_WORDS = ["", "first side", "other side"];

  function whole(value) {
    var parsed = parseInt(value, 10);
    return isNaN(parsed) ? null : parsed;
  }

  function extend(base, more) {
    var result = {};
    Object.keys(base).forEach(function (key) { result[key] = base[key]; });
    Object.keys(more).forEach(function (key) { result[key] = more[key]; });
    return result;
  }

  /* The prescription, from the timer card's data attributes. */
  function readDose(element) {
    var data = element.dataset;
    var scale = parseFloat(data.scale);
    return {
      sets: whole(data.sets) || 1,
      reps: whole(data.reps),
      holdSeconds: whole(data.holdSeconds) || 0,
      minutes: whole(data.minutes),
      perSide: data.perSide === "true",
      relaxSeconds: whole(data.relaxSeconds) || 0,
      restSeconds: whole(data.restSeconds) || 0,
      scale: scale > 0 ? scale : 1
    };
  }

  /* Every phase of one exercise, in order. Each block is one set on one side. */
  function plan(dose) {
    var sides = dose.perSide ? 2 : 1;
    var phases = [];
    var block = 0;
    for (var set = 1; set <= dose.sets; set += 1) {
      for (var side = 1; side <= sides; side += 1) {
        var base = { set: set, sets: dose.sets, side: dose.perSide ? side : 0, block: block };
        if (block > 0 && dose.restSeconds > 0) {
          phases.push(extend(base, { kind: REST, seconds: dose.restSeconds }));
        }
        if (dose.reps === null) {
          phases.push(extend(base, { kind: ACTIVITY, seconds: (dose.minutes || 0) * 60 }));
        } else if (dose.holdSeconds > 0) {
          for (var rep = 1; rep <= dose.reps; rep += 1) {
            phases.push(extend(base, { kind: HOLD, seconds: dose.holdSeconds, rep: rep, reps: dose.reps }));
            if (rep < dose.reps && dose.relaxSeconds > 0) {
              phases.push(extend(base, { kind: RELAX, seconds: dose.relaxSeconds, rep: rep, reps: dose.reps }));
            }
          }
        } else {
          phases.push(extend(base, { kind: TALLY, seconds: 0, reps: dose.reps }));
        }
        block += 1;
      }
    }
    return phases;
  }

  /*
   * What to put in the form's dose fields for what was done. `progress` has
   * blocksCompleted (whole sets-on-a-side), repsInBlock (repetitions in the
   * block that was stopped) and activitySeconds (real seconds of the longest
   * timed block). Whole sets count as the prescribed repetitions.
   */
  function doneDose(dose, progress) {
    var sides = dose.perSide ? 2 : 1;
    if (dose.reps === null) {
      var minutes = Math.round(progress.activitySeconds / 60);
      if (progress.blocksCompleted >= 1) {
        minutes = dose.minutes;
      }
      return { minutes_done: Math.max(0, Math.min(minutes, dose.minutes || minutes)) };
    }
    var fullSets = Math.floor(progress.blocksCompleted / sides);
    if (fullSets >= 1) {
      return { sets_done: fullSets, reps_done: dose.reps };
    }
    return { sets_done: progress.repsInBlock > 0 || progress.blocksCompleted > 0 ? 1 : 0, reps_done: progress.repsInBlock };
  }

  function clock(seconds) {
    if (seconds < 60) {
      return String(seconds);
    }
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function where(phase) {
    var parts = [];
    if (phase.sets > 1) {
      parts.push("set " + phase.set + " of " + phase.sets);
    }
    if (phase.side) {
      parts.push(SIDE_WORDS[phase.side]);
    }
    return parts.join(", ");
  }

  function phaseWords(phase, next) {
    var place = where(phase);
    var suffix = place ? " (" + place + ")" : "";
    if (phase.kind === HOLD) {
      return "Hold. Repetition " + phase.rep + " of " + phase.reps + suffix + ".";
    }
    if (phase.kind === RELAX) {
      return "Relax.";
    }
    if (phase.kind === REST) {
      var what = next && next.side === 2 && next.set === phase.set ? "the other side" : "set " + phase.set + " of " + phase.sets;
      return "Rest for " + plural(phase.seconds, "second") + ". Next: " + what + ".";
    }
    if (phase.kind === ACTIVITY) {
      return "Keep going at an easy pace" + suffix + ".";
    }
    return "Do one repetition, then tap \u201cI did one\u201d" + suffix + ".";
  }

  function Timer(card) {
    this.card = card;
    this.form = card.closest("form");
    this.dose = readDose(card);
    this.phases = plan(this.dose);
    this.reduceMotion = Boolean(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
    card.dataset.motion = this.reduceMotion ? "reduced" : "full";
    this.parts = {};
    var self = this;
    ["phase", "count", "bar", "tally", "announce"].forEach(function (role) {
      self.parts[role] = card.querySelector("[data-role='" + role + "']");
    });
    this.buttons = {};
    card.querySelectorAll("[data-action]").forEach(function (button) {
      self.buttons[button.dataset.action] = button;
      button.addEventListener("click", function () { self.act(button.dataset.action); });
    });
    this.options = { sound: false, vibrate: false };
    card.querySelectorAll("[data-option]").forEach(function (box) {
      var name = box.dataset.option;
      box.checked = self.loadOption(name);
      self.options[name] = box.checked;
      box.addEventListener("change", function () {
        self.options[name] = box.checked;
        self.saveOption(name, box.checked);
        if (name === "sound" && box.checked) {
          self.audio();
        }
      });
    });
    this.reset();
    card.hidden = false;
  }

  Timer.prototype.loadOption = function (name) {
    try {
      return window.localStorage.getItem("guided-" + name) === "on";
    } catch (error) {
      return false;
    }
  };

  Timer.prototype.saveOption = function (name, on) {
    try {
      window.localStorage.setItem("guided-" + name, on ? "on" : "off");
    } catch (error) {
      /* Private browsing: the choice lasts for this page only. */
    }
  };

  Timer.prototype.reset = function () {
    this.index = -1;
    this.running = false;
    this.paused = false;
    this.progress = { blocksCompleted: 0, repsInBlock: 0, activitySeconds: 0 };
    this.tally = 0;
    this.show(["start"]);
    this.card.dataset.state = "ready";
  };

  Timer.prototype.show = function (actions) {
    var focused = document.activeElement;
    var hidFocused = false;
    Object.keys(this.buttons).forEach(function (action) {
      var button = this.buttons[action];
      var visible = actions.indexOf(action) !== -1;
      if (!visible && button === focused) {
        hidFocused = true;
      }
      button.hidden = !visible;
    }, this);
    if (hidFocused && actions.length) {
      this.buttons[actions[0]].focus();
    }
  };

  Timer.prototype.act = function (action) {
    if (action === "start") {
      if (this.options.sound) {
        this.audio();
      }
      this.wakeLock();
      this.progress = { blocksCompleted: 0, repsInBlock: 0, activitySeconds: 0 };
      this.index = -1;
      this.running = true;
      this.card.dataset.state = "running";
      this.enter(0);
    } else if (action === "pause") {
      this.pause();
    } else if (action === "resume") {
      this.resume();
    } else if (action === "count") {
      this.countOne();
    } else if (action === "skip-rest") {
      if (this.current() && this.current().kind === REST) {
        this.enter(this.index + 1);
      }
    } else if (action === "stop") {
      this.finish(true);
    }
  };

  Timer.prototype.current = function () {
    return this.phases[this.index];
  };

  Timer.prototype.enter = function (index) {
    window.clearTimeout(this.timeout);
    var previous = this.current();
    if (previous && previous.block !== undefined && this.phases[index] && this.phases[index].block !== previous.block) {
      this.progress.blocksCompleted += 1;
      this.progress.repsInBlock = 0;
    }
    this.index = index;
    var phase = this.current();
    if (!phase) {
      if (previous) {
        this.progress.blocksCompleted += 1;
        this.progress.repsInBlock = 0;
      }
      this.finish(false);
      return;
    }
    this.card.dataset.phase = phase.kind;
    this.say(phaseWords(phase, this.phases[index + 1]));
    this.parts.phase.textContent = phaseWords(phase, this.phases[index + 1]);
    if (phase.kind === TALLY) {
      this.tally = 0;
      this.parts.count.textContent = "0";
      this.parts.bar.value = 0;
      this.updateTally();
      this.show(["count", "stop"]);
      return;
    }
    this.updateTally();
    this.show(phase.kind === REST ? ["skip-rest", "pause", "stop"] : ["pause", "stop"]);
    this.length = phase.seconds * 1000 * this.dose.scale;
    this.elapsed = 0;
    this.startedAt = Date.now();
    this.tick();
  };

  Timer.prototype.tick = function () {
    var phase = this.current();
    var elapsed = this.elapsed + (Date.now() - this.startedAt);
    if (phase.kind === ACTIVITY) {
      this.progress.activitySeconds = Math.max(this.progress.activitySeconds, elapsed / 1000 / this.dose.scale);
    }
    if (elapsed >= this.length) {
      if (phase.kind === HOLD) {
        this.progress.repsInBlock = phase.rep;
      }
      if (phase.kind !== RELAX) {
        this.signal();
      }
      this.enter(this.index + 1);
      return;
    }
    var remainingSeconds = Math.ceil((this.length - elapsed) / 1000 / this.dose.scale);
    this.parts.count.textContent = clock(remainingSeconds);
    var fraction = elapsed / this.length;
    if (this.reduceMotion) {
      var wholeSeconds = phase.seconds - remainingSeconds;
      fraction = phase.seconds ? wholeSeconds / phase.seconds : 0;
    }
    this.parts.bar.value = Math.round(fraction * 1000);
    var self = this;
    this.timeout = window.setTimeout(function () { self.tick(); }, Math.max(16, Math.min(250, 1000 * this.dose.scale)));
  };

  Timer.prototype.pause = function () {
    if (!this.running || this.paused) {
      return;
    }
    window.clearTimeout(this.timeout);
    this.elapsed += Date.now() - this.startedAt;
    this.paused = true;
    this.card.dataset.state = "paused";
    this.say("Paused.");
    this.show(["resume", "stop"]);
  };

  Timer.prototype.resume = function () {
    if (!this.paused) {
      return;
    }
    this.paused = false;
    this.card.dataset.state = "running";
    this.startedAt = Date.now();
    this.say("Carrying on.");
    this.show(this.current().kind === REST ? ["skip-rest", "pause", "stop"] : ["pause", "stop"]);
    this.tick();
  };

  Timer.prototype.countOne = function () {
    var phase = this.current();
    this.tally += 1;
    this.progress.repsInBlock = this.tally;
    this.parts.count.textContent = String(this.tally);
    this.parts.bar.value = Math.round((this.tally / phase.reps) * 1000);
    this.updateTally();
    if (this.tally >= phase.reps) {
      this.signal();
      this.enter(this.index + 1);
    } else {
      this.say(this.tally + " of " + phase.reps + ".");
    }
  };

  Timer.prototype.updateTally = function () {
    var phase = this.current();
    if (!phase || phase.reps === undefined) {
      this.parts.tally.textContent = phase && phase.kind === ACTIVITY ? plural(this.dose.minutes || 0, "minute") + " in all" : "";
      return;
    }
    var count = phase.kind === TALLY ? this.tally : phase.kind === HOLD ? phase.rep - 1 : phase.rep;
    var place = where(phase);
    this.parts.tally.textContent = count + " of " + phase.reps + " done" + (place ? ", " + place : "");
  };

  Timer.prototype.finish = function (stopped) {
    window.clearTimeout(this.timeout);
    this.running = false;
    this.paused = false;
    this.card.dataset.state = stopped ? "stopped" : "finished";
    this.card.dataset.phase = "";
    this.releaseWakeLock();
    this.parts.count.textContent = "";
    this.parts.bar.value = stopped ? this.parts.bar.value : 1000;
    var words = stopped
      ? "Stopped. What you did is filled in below: check it, then save."
      : "All done. Well done. Say how your pain is now, then save.";
    this.parts.phase.textContent = words;
    this.say(words);
    this.fillForm(doneDose(this.dose, this.progress), stopped);
    this.show(["start"]);
    this.buttons.start.textContent = "Start again";
  };

  Timer.prototype.fillForm = function (values, stopped) {
    if (!this.form) {
      return;
    }
    var changed = false;
    Object.keys(values).forEach(function (name) {
      var input = this.form.querySelector("input[name$='-" + name + "']");
      if (input && String(values[name]) !== input.value) {
        input.value = String(values[name]);
        changed = true;
      }
    }, this);
    var details = this.form.querySelector("[data-role='dose-details']");
    if (details && stopped && changed) {
      details.open = true;
    }
  };

  Timer.prototype.say = function (words) {
    /* Phase changes only, never every second, so a screen reader is not flooded. */
    this.parts.announce.textContent = words;
  };

  Timer.prototype.audio = function () {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!this.audioContext && Context) {
      try {
        this.audioContext = new Context();
      } catch (error) {
        this.audioContext = null;
      }
    }
    return this.audioContext;
  };

  Timer.prototype.signal = function () {
    if (this.options.vibrate && navigator.vibrate) {
      navigator.vibrate(200);
    }
    var context = this.options.sound ? this.audio() : null;
    if (context) {
      var oscillator = context.createOscillator();
      var gain = context.createGain();
      oscillator.frequency.value = 880;
      gain.gain.value = 0.15;
      oscillator.connect(gain);
      gain.connect(context.destination);
      oscillator.start();
      oscillator.stop(context.currentTime + 0.2);
    }
    this.card.dataset.signals = String((whole(this.card.dataset.signals) || 0) + 1);
  };

  Timer.prototype.wakeLock = function () {
    /* Keep a phone's screen on while the timer runs, where the browser allows it. */
    var self = this;
    if (navigator.wakeLock && navigator.wakeLock.request) {
      navigator.wakeLock.request("screen").then(function (lock) { self.lock = lock; }, function () {});
    }
  };

  Timer.prototype.releaseWakeLock = function () {
    if (this.lock) {
      this.lock.release().then(function () {}, function () {});
      this.lock = null;
    }
  };

  window.GuidedTimer = { plan: plan, doneDose: doneDose, readDose: readDose };

  var card = document.getElementById("guided-timer");
  if (card) {
    window.GuidedTimer.timer = new Timer(card);
  }
})();
