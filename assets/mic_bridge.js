/*
 * Browser microphone bridge for the live interview (served at /mic_bridge.js; plain JS).
 *
 *   InterviewerMic.start(ticketUrl, questionIndex?) -> Promise (rejects with {name} when the
 *       microphone fails, after a "mic_failed" event)
 *       ticketUrl: absolute URL of POST /api/v1/interviews/live/{token}/ticket on the backend;
 *       the socket URL is derived from it (/ws/interview/{token}), or pass an options object
 *       {ticketUrl, wsUrl, questionIndex, autoAdvance = true, integrity = true}.
 *       Without a ticketUrl: capture only (no socket): read frames with onFrame.
 *   InterviewerMic.onFrame(cb) -> unsubscribe   every 100 ms frame as an Int16Array (16 kHz)
 *   InterviewerMic.startAnswer(questionIndex)   start streaming an answer
 *   InterviewerMic.done()                       the candidate pressed Done
 *   InterviewerMic.flush() -> Promise           send the partial frame captured so far (to the
 *       socket and to onFrame listeners) now; resolves once it has gone out
 *   InterviewerMic.signal(kind, detail)         integrity signal (tab_hidden, paste, ...)
 *   InterviewerMic.stop()                       release mic and socket (no reconnect)
 *   InterviewerMic.level()                      current input level, RMS 0..1
 *   InterviewerMic.onEvent(cb) -> unsubscribe   server messages (ready, partial, final,
 *       answer_end, next, error) and local ones: {type: "mic_failed", reason},
 *       {type: "connection", state: "open" | "reconnecting" | "closed", code, delay_ms}
 *   InterviewerMic.state()                      {connected, answering, questionIndex, micActive}
 *
 * Audio: getUserMedia (mono, echo cancellation, noise suppression) -> AudioWorklet
 * (pcm_worklet.js) -> 16 kHz PCM16 frames of 100 ms -> binary WebSocket frames. The socket
 * reconnects with exponential backoff and a fresh one-time ticket, then sends "resume" and
 * replays up to RING_MS of recent audio (the server skips what it already transcribed). With
 * autoAdvance the next answer starts when the server sends the next question or follow-up.
 */
(function () {
  "use strict";
  var RING_MS = 5000; // audio kept for replay after a reconnect (bounded)
  var FRAME_MS = 100;
  var MAX_BUFFERED = 256 * 1024; // do not pile onto a congested socket
  var MAX_PENDING_CONTROL = 50;
  var FATAL_CODES = { 1000: 1, 4403: 1, 4404: 1, 4410: 1 };
  var scriptSrc = (document.currentScript && document.currentScript.src) || "/mic_bridge.js";
  var workletUrl = new URL("pcm_worklet.js", scriptSrc).toString();

  var listeners = [];
  var frameListeners = [];
  var s = null; // the running session's state

  function emit(event) {
    listeners.slice().forEach(function (cb) {
      try { cb(event); } catch (err) { console.error("InterviewerMic listener failed", err); }
    });
  }

  function wsUrlFrom(ticketUrl) {
    var url = new URL(ticketUrl, window.location.href);
    var match = url.pathname.match(/\/interviews\/live\/([^/]+)\/ticket$/);
    if (!match) throw new Error("ticketUrl must end with /interviews/live/{token}/ticket");
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.pathname = "/ws/interview/" + match[1];
    url.search = "";
    return url.toString();
  }

  function sendJson(message) {
    if (s && s.ws && s.ws.readyState === WebSocket.OPEN) {
      s.ws.send(JSON.stringify(message));
      return true;
    }
    if (s && s.pending.length < MAX_PENDING_CONTROL && message.type === "signal") s.pending.push(message);
    return false;
  }

  function remember(frame) {
    s.ring.push(frame);
    s.ringMs += FRAME_MS;
    while (s.ringMs > RING_MS && s.ring.length > 1) {
      s.ring.shift();
      s.ringMs -= FRAME_MS;
    }
  }

  function onFrame(message) {
    if (!s) return;
    s.level = message.rms;
    if (frameListeners.length) {
      var samples = new Int16Array(message.pcm.slice(0));
      frameListeners.slice().forEach(function (cb) {
        try { cb(samples); } catch (err) { console.error("InterviewerMic frame listener failed", err); }
      });
    }
    if (!s.answering) return;
    var frame = { offset: s.answerMs, pcm: message.pcm };
    s.answerMs += Math.round(message.pcm.byteLength / 32);
    remember(frame);
    // the server handles messages in order: frames right after start_answer/resume belong to it
    if (s.ws && s.ws.readyState === WebSocket.OPEN && s.ws.bufferedAmount < MAX_BUFFERED) {
      s.ws.send(frame.pcm);
      frame.sent = true;
    }
  }

  function onServerMessage(event) {
    var message;
    try { message = JSON.parse(event.data); } catch (err) { return; }
    if (message.type === "ready" && message.state === "listening") s.listening = true;
    if (message.type === "ready" && message.state === "connected") {
      s.attempt = 0;
      if (s.answering) {
        // resume the same answer: replay what the ring holds (the server skips the transcribed part)
        var first = s.ring.length ? s.ring[0].offset : s.answerMs;
        s.ws.send(JSON.stringify({ type: "resume", question_index: s.questionIndex, answer_offset_ms: first }));
        s.ring.forEach(function (frame) { s.ws.send(frame.pcm); });
        s.listening = true;
      } else if (s.wantQuestion !== null) {
        var index = s.wantQuestion;
        s.wantQuestion = null;
        startAnswer(index);
      }
      s.pending.splice(0).forEach(sendJson);
    }
    if (message.type === "next") {
      s.answering = false;
      s.listening = false;
      if (message.kind === "done") s.finished = true;
      else if (s.autoAdvance) startAnswer(message.question_index);
    }
    emit(message);
  }

  function connect() {
    if (!s || s.stopped) return;
    fetch(s.ticketUrl, { method: "POST", credentials: "omit" })
      .then(function (response) {
        if (response.status === 404 || response.status === 410) {
          s.stopped = true;
          emit({ type: "connection", state: "closed", code: response.status });
          return null;
        }
        if (!response.ok) throw new Error("ticket request failed: " + response.status);
        return response.json();
      })
      .then(function (body) {
        if (!body || !s || s.stopped) return;
        var ws = new WebSocket(s.wsUrl + "?ticket=" + encodeURIComponent(body.ticket));
        ws.binaryType = "arraybuffer";
        s.ws = ws;
        ws.onopen = function () { emit({ type: "connection", state: "open" }); };
        ws.onmessage = onServerMessage;
        ws.onclose = function (event) {
          if (!s || s.ws !== ws) return;
          s.ws = null;
          s.listening = false;
          if (s.stopped || s.finished || FATAL_CODES[event.code]) {
            emit({ type: "connection", state: "closed", code: event.code });
            return;
          }
          reconnectLater(event.code);
        };
      })
      .catch(function () { reconnectLater(0); });
  }

  function reconnectLater(code) {
    if (!s || s.stopped) return;
    s.attempt += 1;
    if (s.attempt > 12) {
      emit({ type: "connection", state: "closed", code: code });
      return;
    }
    var delay = Math.min(30000, 500 * Math.pow(2, s.attempt - 1)) + Math.floor(Math.random() * 250);
    emit({ type: "connection", state: "reconnecting", code: code, delay_ms: delay, attempt: s.attempt });
    s.timer = setTimeout(connect, delay);
  }

  function micFailed(reason) {
    emit({ type: "mic_failed", reason: reason });
    sendJson({ type: "signal", kind: "mic_failed", detail: { reason: reason } });
  }

  function openMic() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.AudioWorkletNode) {
      return Promise.reject({ name: window.isSecureContext ? "Unsupported" : "InsecureContext" });
    }
    return navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    }).then(function (stream) {
      var ctx = new (window.AudioContext || window.webkitAudioContext)();
      s.stream = stream;
      s.ctx = ctx;
      stream.getAudioTracks().forEach(function (track) {
        track.onended = function () { if (s && !s.stopped) micFailed("ended"); };
      });
      return ctx.audioWorklet.addModule(workletUrl).then(function () {
        var source = ctx.createMediaStreamSource(stream);
        var node = new AudioWorkletNode(ctx, "pcm16-downsampler");
        var mute = ctx.createGain();
        mute.gain.value = 0; // keep the graph pulled without playing the mic back
        node.port.onmessage = function (event) { onFrame(event.data); };
        source.connect(node);
        node.connect(mute);
        mute.connect(ctx.destination);
        s.node = node;
        return ctx.resume();
      });
    });
  }

  function watchIntegrity() {
    var last = {};
    function report(kind, detail) {
      var now = Date.now();
      if (last[kind] && now - last[kind] < 2000) return; // the server caps too; spare the socket
      last[kind] = now;
      detail.at = new Date(now).toISOString();
      sendJson({ type: "signal", kind: kind, detail: detail, occurred_at: detail.at });
    }
    var handlers = {
      visibilitychange: function () { if (document.visibilityState === "hidden") report("tab_hidden", {}); },
      blur: function () { report("window_blur", {}); },
      paste: function (event) {
        var text = event.clipboardData ? event.clipboardData.getData("text") : "";
        report("paste", { chars: text.length });
      },
    };
    document.addEventListener("visibilitychange", handlers.visibilitychange);
    window.addEventListener("blur", handlers.blur);
    document.addEventListener("paste", handlers.paste, true);
    return function () {
      document.removeEventListener("visibilitychange", handlers.visibilitychange);
      window.removeEventListener("blur", handlers.blur);
      document.removeEventListener("paste", handlers.paste, true);
    };
  }

  function start(options, questionIndex) {
    if (s) stop();
    var opts = typeof options === "string" ? { ticketUrl: options } : options || {};
    var online = !!opts.ticketUrl;
    s = {
      ticketUrl: online ? new URL(opts.ticketUrl, window.location.href).toString() : null,
      wsUrl: online ? opts.wsUrl || wsUrlFrom(opts.ticketUrl) : null,
      autoAdvance: opts.autoAdvance !== false,
      wantQuestion: typeof questionIndex === "number" ? questionIndex
        : typeof opts.questionIndex === "number" ? opts.questionIndex : null,
      ws: null, stream: null, ctx: null, node: null, timer: null, unwatch: null,
      answering: false, listening: false, questionIndex: null, answerMs: 0, ring: [], ringMs: 0,
      pending: [], level: 0, attempt: 0, stopped: false, finished: false,
    };
    var session = s;
    if (online && opts.integrity !== false) s.unwatch = watchIntegrity();
    if (online) connect();
    return openMic().then(function () { return true; }, function (err) {
      if (s === session) micFailed((err && err.name) || "unknown");
      throw { name: (err && err.name) || "unknown", message: (err && err.message) || "microphone failed" };
    });
  }

  function startAnswer(questionIndex) {
    if (!s || s.stopped) return;
    s.questionIndex = questionIndex;
    s.answering = true;
    s.listening = false;
    s.answerMs = 0;
    s.ring = [];
    s.ringMs = 0;
    if (!sendJson({ type: "start_answer", question_index: questionIndex })) {
      s.answering = false;
      s.wantQuestion = questionIndex; // sent as soon as the socket is ready
    }
  }

  function done() {
    if (!s) return;
    if (s.node) s.node.port.postMessage("flush");
    setTimeout(function () {
      if (!s) return;
      sendJson({ type: "done" });
      s.answering = false;
      s.listening = false;
    }, FRAME_MS + 20); // let the flushed last frame go out first
  }

  function flush() {
    return new Promise(function (resolve) {
      if (!s || !s.node) { resolve(false); return; }
      s.node.port.postMessage("flush");
      setTimeout(function () { resolve(true); }, FRAME_MS + 20); // the frame comes back through the port
    });
  }

  function stop() {
    if (!s) return;
    var old = s;
    s = null;
    old.stopped = true;
    if (old.timer) clearTimeout(old.timer);
    if (old.unwatch) old.unwatch();
    if (old.ws) { try { old.ws.close(1000); } catch (err) { /* already closed */ } }
    if (old.stream) old.stream.getTracks().forEach(function (track) { track.stop(); });
    if (old.ctx) old.ctx.close();
  }

  window.InterviewerMic = {
    start: start,
    startAnswer: startAnswer,
    done: done,
    flush: flush,
    signal: function (kind, detail) { sendJson({ type: "signal", kind: kind, detail: detail || {} }); },
    stop: stop,
    level: function () { return s ? s.level : 0; },
    onFrame: function (cb) {
      frameListeners.push(cb);
      return function () { frameListeners = frameListeners.filter(function (x) { return x !== cb; }); };
    },
    onEvent: function (cb) {
      listeners.push(cb);
      return function () { listeners = listeners.filter(function (x) { return x !== cb; }); };
    },
    state: function () {
      return s ? { connected: !!(s.ws && s.ws.readyState === WebSocket.OPEN), answering: s.answering,
        questionIndex: s.questionIndex, micActive: !!s.stream } : { connected: false, answering: false,
        questionIndex: null, micActive: false };
    },
  };
})();
