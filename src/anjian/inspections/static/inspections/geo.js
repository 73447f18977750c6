// Fill the hidden position fields from the phone, if it allows; without it the form still works.
// (Moved out of an inline <script>: the Content-Security-Policy allows scripts from files only.)
(function () {
  if (!navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition(function (p) {
    document.querySelectorAll("input[name=lat]").forEach(function (e) { e.value = p.coords.latitude.toFixed(6); });
    document.querySelectorAll("input[name=lng]").forEach(function (e) { e.value = p.coords.longitude.toFixed(6); });
    document.querySelectorAll("input[name=accuracy]").forEach(function (e) { e.value = Math.round(p.coords.accuracy); });
    document.querySelectorAll("[data-geo-status]").forEach(function (e) { e.textContent = e.dataset.geoOk; });
  }, function () {}, {enableHighAccuracy: true, timeout: 8000, maximumAge: 60000});
})();
