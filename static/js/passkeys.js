// Once django-otp-webauthn has added a passkey, reload the page so it shows in the list.
// (Loaded with <script src defer>: the site's Content-Security-Policy allows no inline script.)
document.addEventListener("otp_webauthn.register_complete", function () {
  var placeholder = document.getElementById("passkey-registration-placeholder");
  window.location.assign((placeholder && placeholder.dataset.afterPasskey) || window.location.href);
});
