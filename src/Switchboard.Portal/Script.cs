namespace Switchboard.Portal;

/// <summary>
/// The portal's only script: suggestions under the search box while typing. Pages work without it.
/// </summary>
internal static class Script
{
    public const string Source = """
        (function () {
          var input = document.querySelector('input[data-suggest]');
          if (!input) return;
          var list = input.parentNode.querySelector('.suggestions');
          var timer = null, last = '';
          input.addEventListener('input', function () {
            clearTimeout(timer);
            timer = setTimeout(function () {
              var q = input.value;
              if (q === last) return;
              last = q;
              if (q.trim().length < 2) { list.hidden = true; list.textContent = ''; return; }
              fetch(input.getAttribute('data-suggest') + '?q=' + encodeURIComponent(q), { headers: { 'Accept': 'application/json' } })
                .then(function (r) { return r.ok ? r.json() : []; })
                .then(function (items) {
                  if (q !== input.value) return;
                  list.textContent = '';
                  items.forEach(function (item) {
                    var li = document.createElement('li');
                    var a = document.createElement('a');
                    a.href = item.url; a.textContent = item.title; a.lang = item.language;
                    li.appendChild(a); list.appendChild(li);
                  });
                  list.hidden = items.length === 0;
                })
                .catch(function () { list.hidden = true; });
            }, 150);
          });
        })();
        """;
}
