// The provider's answer, posted again from this site so the session cookie goes with it.
document.getElementById("sso-repost").submit();
