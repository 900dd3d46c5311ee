// Small enhancements; every page works without this file.
// - Filter checkboxes and the sort menu apply at once (the "Apply" buttons remain for keyboards and no-JS).
(function () {
  'use strict';
  document.addEventListener('change', function (event) {
    var t = event.target;
    if (!t || !t.form || !t.form.classList.contains('search')) return;
    if (t.matches('.filters input[type=checkbox], #sort')) {
      var token = t.form.querySelector('input[name=pageToken]');
      if (token) token.remove();
      t.form.submit();
    }
  });
})();
