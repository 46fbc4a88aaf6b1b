// P2.2.1 the sign-in form's optional place: only after the person ticks the box, the
// device's position is read and rounded here, in the browser, to whole degrees (about
// 100 km) before it goes into the form. Nothing is read or sent otherwise.
(function () {
  'use strict';
  var box = document.querySelector('[data-geo]');
  var place = document.getElementById('place');
  if (!box || !place || !navigator.geolocation) return;
  var check = box.querySelector('input[type="checkbox"]');
  var status = box.querySelector('[data-geo-status]');
  box.hidden = false;
  check.addEventListener('change', function () {
    place.value = '';
    status.textContent = '';
    if (!check.checked) return;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        place.value = 'geo:' + Math.round(pos.coords.latitude) + ',' + Math.round(pos.coords.longitude);
        status.textContent = box.getAttribute('data-ok');
      },
      function () {
        check.checked = false;
        status.textContent = box.getAttribute('data-fail');
      },
      { enableHighAccuracy: false, maximumAge: 600000, timeout: 10000 },
    );
  });
})();
