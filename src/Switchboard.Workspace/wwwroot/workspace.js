// Keyboard shortcuts, browser notifications and the notification sound of the agent workspace.
(function () {
  'use strict';

  var soundKey = 'switchboard.sound';

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function rowLinks() {
    return Array.prototype.slice.call(document.querySelectorAll('[data-row-link]'));
  }

  function move(step) {
    var links = rowLinks();
    if (links.length === 0) return;
    var index = links.indexOf(document.activeElement);
    var next = index < 0 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, index + step));
    links[next].focus();
    links[next].closest('[data-row]').scrollIntoView({ block: 'nearest' });
  }

  function focusComposer(mode) {
    var radio = document.querySelector('[data-shortcut="' + mode + '"]');
    if (radio && !radio.checked) radio.click();
    var composer = document.querySelector('[data-shortcut="composer"]');
    if (composer) composer.focus();
  }

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    switch (e.key) {
      case 'j': move(1); break;
      case 'k': move(-1); break;
      case '/': {
        var search = document.querySelector('[data-shortcut="search"]');
        if (!search) return;
        search.focus();
        break;
      }
      case 'r': focusComposer('reply-mode'); break;
      case 'n': focusComposer('note-mode'); break;
      default: return;
    }
    e.preventDefault();
  });

  function beep() {
    try {
      var context = new (window.AudioContext || window.webkitAudioContext)();
      var tone = context.createOscillator();
      var gain = context.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.08, context.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, context.currentTime + 0.3);
      tone.connect(gain).connect(context.destination);
      tone.start();
      tone.stop(context.currentTime + 0.3);
    } catch (err) {
      // No audio device: the in-app notice still shows.
    }
  }

  window.switchboard = {
    soundEnabled: function () { return localStorage.getItem(soundKey) === 'on'; },
    setSound: function (on) { localStorage.setItem(soundKey, on ? 'on' : 'off'); if (on) beep(); },
    askNotifications: function () {
      if ('Notification' in window && Notification.permission === 'default') Notification.requestPermission();
    },
    notify: function (title, body, url) {
      if (window.switchboard.soundEnabled()) beep();
      if (!('Notification' in window) || Notification.permission !== 'granted' || document.hasFocus()) return;
      var n = new Notification(title, { body: body, tag: url });
      n.onclick = function () { window.focus(); location.assign(url); };
    },
    copy: function (text) {
      return navigator.clipboard ? navigator.clipboard.writeText(text).then(function () { return true; }, function () { return false; }) : false;
    }
  };
})();
