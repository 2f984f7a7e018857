/* Glue between the candidate's live interview page (Reflex) and the browser: microphone capture
 * (PCM16 16 kHz), the level meter, the test-sentence recording, the interview audio WebSocket,
 * spoken questions (speechSynthesis), the live transcript, the countdown and the integrity signals.
 *
 * The page's state reads what happens here through InterviewPage.next(): a promise that resolves
 * with the events queued since the last call (one waiter at a time; a newer call releases the
 * older waiter with null). Only phase changes go that way (listening, answer ended, next prompt,
 * done, errors): the socket's partial and final transcripts are drawn here, straight into the
 * page's #live-transcript box (live partial in grey, finals appended), never round-tripping
 * through the server's UI state. Capture goes through window.InterviewerMic when that bridge
 * offers start()/onFrame, else through a small AudioContext capture of its own.
 *
 * Voice and typing can be swapped at any time (toTyped / toVoice). Switching to typing stops the
 * microphone and closes the socket without ending the answer: the server then transcribes and
 * stores what was already said as utterances of the same answer; the typed text is added to
 * it. Switching back opens the microphone and a new socket and continues the same prompt with
 * start_answer (the question is not read out again).
 *
 * The page's part of each spoken turn's latency budget goes back over the socket (prompt_shown):
 * how long after the "next" message the new prompt was on screen and, with read-aloud, its
 * speech started.
 */
(function () {
  "use strict";
  if (window.InterviewPage) return;

  // The open answer's recent audio stays in `held`: the last REPLAY_MS of what was sent (frames in
  // flight when a connection dies are lost with it) and everything not sent while the socket is
  // down (at most HOLD_MS). A reconnect replays it all; the server skips what it already
  // transcribed, except the utterance the drop cut mid-word, which it hears again from its start
  // (hence ten seconds), so a dropped network loses nothing the candidate said.
  const REPLAY_MS = 10000, HOLD_MS = 30000;
  const P = {queue: [], waiter: null, ws: null, cfg: null, step: null, active: false, finished: false,
             listening: false, answerOpen: false, answerMs: 0, held: [], answerKey: null, level: 0, peak: 0,
             recording: null, capture: null, micGen: 0, deadline: 0, timer: null, speak: true, retries: 0,
             timeUpSent: false, connections: 0, typed: false, continueKey: null, spokenKey: null,
             tx: {key: null, index: null, finals: [], seqs: {}, partial: ""}, txEl: null, observer: null,
             shown: null, provisional: null};

  function stepKey(step) { return step ? step.question_index + ":" + (step.attempt || 0) : null; }

  function emit(ev) {
    P.queue.push(ev);
    if (P.waiter) { const w = P.waiter; P.waiter = null; w(P.queue.splice(0)); }
  }

  P.next = function () {
    if (P.waiter) { const old = P.waiter; P.waiter = null; old(null); }
    if (P.queue.length) return Promise.resolve(P.queue.splice(0));
    return new Promise((resolve) => { P.waiter = resolve; });
  };

  // --- the live transcript ------------------------------------------------------------------------
  function line(cls, text) {
    const span = document.createElement("span");
    if (cls) span.className = cls;
    span.textContent = text;
    return span;
  }

  function renderTranscript() {
    const el = document.getElementById("live-transcript");
    P.txEl = el;
    if (!el) return;
    const nodes = P.tx.finals.map((text) => line("live-final", text));
    if (P.tx.partial) nodes.push(line("live-partial", P.tx.partial));
    if (!nodes.length) {
      const hint = line("live-transcript-hint", "Your words appear here as you speak.");
      hint.style.color = "var(--gray-10)";
      nodes.push(hint);
    }
    el.replaceChildren(...nodes);
    el.dataset.finals = String(P.tx.finals.length);
    el.scrollTop = el.scrollHeight;
  }

  function resetTranscript(step, said) {  // a new prompt: an empty box, or what is stored of its answer
    P.tx = {key: stepKey(step), index: step ? step.question_index : null, seqs: {}, partial: "",
            finals: (Array.isArray(said) ? said : []).map(String).filter((t) => t.trim())};
    renderTranscript();
  }

  // A final into the transcript `tx` ({finals, seqs}). One shown before (same seq) or one that rewrites a
  // stored utterance (a resume heard the words a dropped connection cut again: `replaced_text`) takes
  // that line's place; anything else is a new line. Pure, for tests: InterviewPage.mergeFinal.
  function mergeFinal(tx, m) {
    const text = String(m.text || ""), hasSeq = m.seq !== undefined && m.seq !== null;
    let at = hasSeq && tx.seqs[m.seq] !== undefined ? tx.seqs[m.seq] : -1;
    if (at < 0 && typeof m.replaced_text === "string") at = tx.finals.lastIndexOf(m.replaced_text);
    if (at >= 0 && at < tx.finals.length) tx.finals[at] = text;
    else if (text.trim()) { tx.finals.push(text); at = tx.finals.length - 1; }
    if (hasSeq && at >= 0) tx.seqs[m.seq] = at;
    if (tx.finals.length > 200) {
      tx.finals.shift();
      Object.keys(tx.seqs).forEach((k) => { if (--tx.seqs[k] < 0) delete tx.seqs[k]; });
    }
    return tx;
  }
  P.mergeFinal = mergeFinal;

  function onWords(m) {
    if (m.question_index !== P.tx.index) return;
    if (m.type === "final") {
      mergeFinal(P.tx, m);
      P.tx.partial = "";
    } else {
      P.tx.partial = String(m.text || "");
    }
    renderTranscript();
  }

  function watchPage() {  // the page re-mounts the box (a mode switch, a new phase): fill it again
    if (P.observer || !window.MutationObserver || !document.body) return;
    P.observer = new MutationObserver(() => {
      const el = document.getElementById("live-transcript");
      if (el && (el !== P.txEl || !el.firstChild)) renderTranscript();
      if (P.shown && P.shown.shownMs === null) promptOnScreen();
    });
    P.observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  }

  // --- the page's part of the turn budget ---------------------------------------------------------
  function expectPrompt(step) {  // a "next" arrived: time it until on screen (and spoken)
    const speech = P.speak && !!window.speechSynthesis && !!window.SpeechSynthesisUtterance;
    P.shown = {key: stepKey(step), step: step, ws: P.ws, t0: performance.now(), shownMs: null, spokenMs: null,
               speech: speech, sent: false};
    const pending = P.shown;
    setTimeout(() => { if (P.shown === pending) { pending.speech = false; reportShown(); } }, 15000);
    promptOnScreen();
  }

  function promptOnScreen() {
    const pending = P.shown, el = document.getElementById("live-question");
    if (!pending || pending.shownMs !== null || !el || el.textContent !== pending.step.text) return;
    pending.shownMs = performance.now() - pending.t0;
    reportShown();
  }

  function promptSpoken(step, started) {  // speech of `step` started (true) or will not (false)
    const pending = P.shown;
    if (!pending || pending.key !== stepKey(step) || pending.spokenMs !== null) return;
    if (started) pending.spokenMs = performance.now() - pending.t0; else pending.speech = false;
    reportShown();
  }

  function reportShown() {
    const pending = P.shown;
    if (!pending || pending.sent || pending.shownMs === null || (pending.speech && pending.spokenMs === null)) return;
    pending.sent = true;
    P.shown = null;
    const ws = pending.ws;
    if (!ws || ws !== P.ws || ws.readyState !== 1) return;  // that connection is gone: so is its turn
    ws.send(JSON.stringify({type: "prompt_shown", question_index: pending.step.question_index,
                            attempt: pending.step.attempt || 0, shown_ms: Math.round(pending.shownMs),
                            spoken_ms: pending.spokenMs === null ? null : Math.round(pending.spokenMs)}));
  }

  // --- microphone -------------------------------------------------------------------------------
  function toPcm16(f32, rate) {
    const ratio = rate / 16000, n = Math.floor(f32.length / ratio), out = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const a = Math.floor(i * ratio), b = Math.max(a + 1, Math.min(f32.length, Math.floor((i + 1) * ratio)));
      let s = 0;
      for (let j = a; j < b; j++) s += f32[j];
      const v = Math.max(-1, Math.min(1, s / (b - a)));
      out[i] = v < 0 ? v * 0x8000 : v * 0x7fff;
    }
    return out;
  }

  function onPcm(pcm) {
    let sum = 0;
    for (let i = 0; i < pcm.length; i++) sum += pcm[i] * pcm[i];
    const rms = Math.sqrt(sum / Math.max(1, pcm.length)) / 32768;
    const db = rms > 0 ? 20 * Math.log10(rms) : -100;
    P.level = Math.max(0, Math.min(100, Math.round((db + 60) * 100 / 60)));  // -60 dBFS..0 -> 0..100
    P.peak = Math.max(P.peak, P.level);
    renderLevel();
    if (P.recording) P.recording.push(pcm);
    if (!P.answerOpen || !pcm.length) return;
    const frame = {offset: P.answerMs, pcm: pcm, sent: false};
    P.answerMs += pcm.length / 16;
    if (P.listening && P.ws && P.ws.readyState === 1) {
      P.ws.send(pcm.buffer);
      frame.sent = true;
    }
    P.held.push(frame);
    while (P.held.length > 1) {
      const age = P.answerMs - P.held[0].offset;
      if (age > HOLD_MS || (P.held[0].sent && age > REPLAY_MS)) P.held.shift(); else break;
    }
  }

  function openAnswer(open) {
    P.answerOpen = open; P.answerMs = 0; P.held = [];
  }

  function resumeAnswer(cur) {  // after a reconnect: same answer, replay what was held
    const first = P.held.length ? P.held[0].offset : P.answerMs;
    P.ws.send(JSON.stringify({type: "resume", question_index: cur.question_index,
                              answer_offset_ms: Math.round(first)}));
    P.held.forEach((frame) => { P.ws.send(frame.pcm.buffer); frame.sent = true; });
    P.listening = true;  // the server reads in order: what follows belongs to the resumed answer
  }

  function renderLevel() {
    const bar = document.getElementById("live-level-bar");
    if (bar) bar.style.width = P.level + "%";
    const box = document.getElementById("live-level");
    if (box) { box.dataset.level = String(P.level); box.dataset.peak = String(P.peak); }
  }

  async function ownCapture() {
    const stream = await navigator.mediaDevices.getUserMedia(
      {audio: {channelCount: 1, echoCancellation: true, noiseSuppression: true}});
    const Ctx = window.AudioContext || window.webkitAudioContext;
    const ctx = new Ctx();
    if (ctx.state === "suspended") await ctx.resume().catch(() => {});
    const src = ctx.createMediaStreamSource(stream);
    const node = ctx.createScriptProcessor(4096, 1, 1);
    node.onaudioprocess = (e) => onPcm(toPcm16(e.inputBuffer.getChannelData(0), ctx.sampleRate));
    src.connect(node);
    node.connect(ctx.destination);  // a processor only runs when connected; it outputs silence
    return {stop() { node.disconnect(); src.disconnect(); stream.getTracks().forEach((t) => t.stop()); ctx.close(); }};
  }

  async function bridgeCapture(mic) {
    await mic.start();
    const off = mic.onFrame((frame) => onPcm(frame instanceof Int16Array ? frame : new Int16Array(frame)));
    return {
      stop() { if (typeof off === "function") off(); if (mic.stop) mic.stop(); },
      flush() { return typeof mic.flush === "function" ? mic.flush() : Promise.resolve(false); },
    };
  }

  P.startMic = async function () {
    if (P.capture) { emit({type: "mic", ok: true}); return true; }
    const gen = P.micGen;
    try {
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) throw {name: "NotSupportedError"};
      const mic = window.InterviewerMic;
      const usable = mic && typeof mic.start === "function" && typeof mic.onFrame === "function";
      const capture = usable ? await bridgeCapture(mic) : await ownCapture();
      if (gen !== P.micGen) { capture.stop(); return false; }  // stopped (typing chosen) meanwhile
      P.capture = capture;
      emit({type: "mic", ok: true});
      return true;
    } catch (err) {
      if (gen !== P.micGen) return false;
      const name = err && err.name;
      const message = name === "NotAllowedError" || name === "SecurityError"
        ? "Microphone access was blocked by the browser."
        : name === "NotFoundError" || name === "OverconstrainedError" ? "No microphone was found on this device."
        : name === "NotSupportedError" ? "This browser cannot use a microphone on this page."
        : "The microphone could not be started.";
      emit({type: "mic", ok: false, message: message});
      return false;
    }
  };

  P.stopMic = function () {
    P.micGen += 1;
    if (P.capture) { try { P.capture.stop(); } catch (e) { /* already stopped */ } }
    P.capture = null; P.level = 0; renderLevel();
  };

  function base64(pcm) {
    const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }

  P.recordTest = function (ms) {
    return new Promise((resolve) => {
      if (!P.capture) { resolve(""); return; }
      P.recording = [];
      setTimeout(() => {
        const parts = P.recording || [];
        P.recording = null;
        const all = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
        let o = 0;
        parts.forEach((p) => { all.set(p, o); o += p.length; });
        resolve(base64(all));
      }, ms);
    });
  };

  // --- questions and the audio socket -----------------------------------------------------------
  function speakThen(step, then) {
    const text = step.text;
    let done = false;
    const go = () => { if (!done) { done = true; clearTimeout(timer); promptSpoken(step, false); then(); } };
    const timer = setTimeout(go, P.speak ? 1500 + text.split(/\s+/).length * 450 : 0);
    if (!P.speak || !window.speechSynthesis || !window.SpeechSynthesisUtterance) { go(); return; }
    try {
      window.speechSynthesis.cancel();
      const u = new SpeechSynthesisUtterance(text);
      u.lang = "en-US"; u.rate = 0.95; u.onend = go; u.onerror = go;
      u.onstart = () => promptSpoken(step, true);
      window.speechSynthesis.speak(u);
    } catch (e) { go(); }
  }

  function ask(step) {
    P.listening = false;
    openAnswer(false);
    P.spokenKey = stepKey(step);
    speakThen(step, () => listenTo(step));
  }

  // The candidate went on after a provisional end (or the connection dropped before it was
  // settled): the prompt they were answering is back, with what they had said.
  function takeBack(prompt) {
    const prev = P.provisional;
    P.provisional = null;
    P.shown = null;
    P.step = {kind: prompt.kind, text: prompt.text, question_index: prompt.question_index, k: prompt.k, n: prompt.n,
              attempt: prompt.attempt || 0};
    if (prev && prev.tx && prev.tx.key === stepKey(P.step)) { P.tx = prev.tx; renderTranscript(); }
    else resetTranscript(P.step);
    emit(Object.assign({}, P.step, {type: "reopened"}));
  }

  function listenTo(step) {  // start (or, after typing, continue) the answer to this prompt
    if (P.finished || P.typed || !P.ws || P.ws.readyState !== 1) return;
    P.answerKey = stepKey(step);
    P.ws.send(JSON.stringify({type: "start_answer", question_index: step.question_index}));
  }

  function onMessage(m) {
    if (m.type === "ready" && m.state === "connected") {
      P.retries = 0;
      P.connections += 1;
      const cur = m.current;
      if (P.provisional) {  // the connection dropped in the settling window
        if (stepKey(cur) === stepKey(P.provisional.prompt)) takeBack(cur);  // they had gone on: that answer resumes
        else P.provisional = null;  // it was settled: the prompt on screen is the one to answer
      }
      P.step = cur;
      if (cur.kind === "done") { finishLocal(); emit(Object.assign({}, cur, {type: "next"})); return; }
      if (stepKey(cur) !== P.tx.key) resetTranscript(cur);
      if (P.answerOpen && P.answerKey === stepKey(cur)) {
        resumeAnswer(cur);
        if (P.connections > 1) emit({type: "resumed", question_index: cur.question_index});
      } else if (P.continueKey === stepKey(cur)) {  // back from typing: the same prompt, not read again
        P.continueKey = null;
        listenTo(cur);
      } else { P.continueKey = null; ask(cur); }
    } else if (m.type === "ready" && m.state === "listening") {
      if (!P.answerOpen) openAnswer(true);
      P.listening = true;
      emit({type: "listening", question_index: m.question_index});
    } else if (m.type === "partial" || m.type === "final") {
      onWords(m);
    } else if (m.type === "answer_end") {
      if (m.provisional) return;  // the words sounded finished: keep listening until it is settled
      openAnswer(false);
      P.listening = false;
      emit({type: "answer_end", question_index: m.question_index, reason: m.reason});
    } else if (m.type === "next" && m.provisional) {
      // Shown at once; the microphone stays on the answer just ended and nothing is read aloud
      // until the server settles it (a plain "next") or takes the answer back ("reopened"). After
      // the last answer it is "done": the page says it is wrapping up, the answer's words stay.
      P.provisional = {prompt: P.step, tx: P.tx};
      P.step = m;
      if (m.kind !== "done") { resetTranscript(m); expectPrompt(m); }
      emit(m);
    } else if (m.type === "next") {
      const settled = P.provisional && stepKey(P.provisional.prompt) !== stepKey(m) && stepKey(P.step) === stepKey(m);
      P.provisional = null;
      P.step = m;
      if (m.kind === "done") finishLocal();
      else if (settled) ask(m);  // already on screen: now read it out and listen for its answer
      else { resetTranscript(m); expectPrompt(m); ask(m); }
      emit(m);
    } else if (m.type === "reopened") {
      takeBack(m);
    } else if (m.type === "holding") {
      emit({type: "holding", question_index: m.question_index, seconds: m.seconds});
    } else if (m.type === "error") {
      emit({type: "error", code: m.code, detail: m.detail});
    }
  }

  async function connect() {
    if (P.finished || P.typed) return;
    try {
      const url = P.cfg.apiBase + "/api/v1/interviews/live/" + encodeURIComponent(P.cfg.token) + "/ticket";
      const r = await fetch(url, {method: "POST"});
      const body = await r.json().catch(() => ({}));
      if (P.typed || P.finished || P.ws) return;  // typing was chosen (or a socket opened) meanwhile
      if (!r.ok) {
        if (r.status === 404 || r.status === 410) { emit({type: "gone", status: r.status, detail: body.detail}); return; }
        throw new Error(body.detail || "ticket " + r.status);
      }
      const ws = new WebSocket(P.cfg.wsBase + "/ws/interview/" + encodeURIComponent(P.cfg.token) +
                               "?ticket=" + encodeURIComponent(body.ticket));
      ws.binaryType = "arraybuffer";
      P.ws = ws;
      ws.onmessage = (e) => { try { onMessage(JSON.parse(e.data)); } catch (err) { /* not JSON */ } };
      ws.onclose = (e) => {
        if (P.ws === ws) { P.ws = null; P.listening = false; }
        if (P.finished || e.code === 1000) return;
        if (e.code === 4410 || e.code === 4404) { emit({type: "gone", status: e.code - 4000}); return; }
        if (e.code === 4403) { emit({type: "error", code: "ORIGIN_FORBIDDEN", detail: "The audio connection was refused."}); return; }
        retry();
      };
    } catch (err) { retry(); }
  }

  function retry() {
    if (P.finished || P.typed) return;
    P.retries += 1;
    emit({type: "reconnecting", attempt: P.retries});
    setTimeout(connect, Math.min(8000, 500 * Math.pow(2, P.retries - 1)));
  }

  // --- clock and integrity signals -----------------------------------------------------------
  function fmt(s) { return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); }

  function tick() {
    const left = Math.max(0, Math.round((P.deadline - Date.now()) / 1000));
    const el = document.getElementById("live-time-left");
    if (el) el.textContent = fmt(left);
    if (left === 0 && P.active && !P.timeUpSent) { P.timeUpSent = true; emit({type: "time_up"}); }
  }

  function signal(kind, detail) {
    if (!P.active || P.finished) return;
    detail.question_index = P.step ? P.step.question_index : null;
    emit({type: "signal", kind: kind, detail: detail, occurred_at: new Date().toISOString()});
  }

  let installed = false;
  function installSignals() {
    if (installed) return;
    installed = true;
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") signal("tab_hidden", {});
    });
    window.addEventListener("blur", () => signal("window_blur", {}));
    document.addEventListener("paste", (e) => {
      const t = e.target;
      if (t && t.id === "live-typed-answer") {
        const text = (e.clipboardData && e.clipboardData.getData("text")) || "";
        signal("paste", {chars: text.length});
      }
    }, true);
  }

  function finishLocal() {
    P.finished = true; P.active = false; P.listening = false; openAnswer(false);
    clearInterval(P.timer);
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    P.stopMic();
  }

  // --- called by the page ------------------------------------------------------------------
  P.begin = function (cfg) {  // {token, apiBase, wsBase, step, timeLeft, speak, typed, said}
    P.cfg = cfg; P.step = cfg.step; P.speak = !!cfg.speak; P.active = true; P.finished = false;
    P.timeUpSent = false; P.typed = !!cfg.typed; P.continueKey = null;
    P.setMode(P.typed);
    installSignals();
    watchPage();
    resetTranscript(cfg.step, cfg.said);
    P.deadline = Date.now() + cfg.timeLeft * 1000;
    clearInterval(P.timer);
    P.timer = setInterval(tick, 1000);
    tick();
    if (cfg.typed) {
      P.closeSocket();
      P.stopMic();
      P.spokenKey = stepKey(cfg.step);
      speakThen(cfg.step, () => {});
      return true;
    }
    P.startMic().then((ok) => { if (ok && !P.ws) connect(); });
    return true;
  };

  P.showStep = function (step) {  // typed mode: a new prompt to read out
    P.step = step;
    if (step.kind !== "done") {
      resetTranscript(step);
      P.spokenKey = stepKey(step);
      speakThen(step, () => {});
    }
    return true;
  };

  // Typing instead of speaking, mid-answer: what was captured goes out first (the worklet's partial
  // frame), then the microphone stops and the socket closes without "done". Closing is what makes
  // the server transcribe and store the rest of what was said, as utterances of this same answer.
  P.toTyped = async function () {
    if (P.typed) return true;
    if (P.provisional) takeBack(P.provisional.prompt);  // typing continues the answer just ended, not yet settled
    P.typed = true; P.continueKey = null;
    P.setMode(true);
    const capture = P.capture;
    if (capture && capture.flush && P.answerOpen && P.listening) {
      try { await capture.flush(); } catch (e) { /* the mic is going away anyway */ }
    }
    P.stopMic();
    P.closeSocket();
    openAnswer(false);
    P.tx.partial = "";
    renderTranscript();
    const step = P.step;  // a prompt not read out yet (the mic failed first) is read now
    if (P.active && step && step.kind !== "done" && P.spokenKey !== stepKey(step)) {
      P.spokenKey = stepKey(step);
      speakThen(step, () => {});
    }
    return true;
  };

  // Back to the voice: the microphone and a new socket; the same prompt's answer continues (the
  // transcript box starts with what is stored of it: `said`).
  P.toVoice = function (cfg) {  // {step, said, speak}
    if (!P.active || P.finished) return false;
    P.typed = false; P.step = cfg.step; P.continueKey = stepKey(cfg.step); P.retries = 0;
    P.setMode(false);
    if (typeof cfg.speak === "boolean") P.speak = cfg.speak;
    resetTranscript(cfg.step, cfg.said);
    P.startMic().then((ok) => { if (ok && !P.ws && !P.typed) connect(); });
    return true;
  };

  P.done = function () {
    if (P.ws && P.ws.readyState === 1) { P.ws.send(JSON.stringify({type: "done"})); return true; }
    return false;
  };

  P.stillThinking = function () {  // "wait, I'm still thinking": the server holds the answer open
    if (P.ws && P.ws.readyState === 1) { P.ws.send(JSON.stringify({type: "still_thinking"})); return true; }
    return false;
  };

  // The read-aloud choice, kept per browser under a key naming this interview (a digest of its link).
  P.setSpeak = function (on, key) {
    P.speak = !!on;
    if (key) { try { window.localStorage.setItem(key, on ? "1" : "0"); } catch (e) { /* storage disabled */ } }
    if (!on && window.speechSynthesis) window.speechSynthesis.cancel();
    return true;
  };

  // The answer mode (voice or typing), kept the same way: a reload does not send a candidate who
  // chose typing back to the microphone. The keys come from the page's state, which reads both
  // choices itself on load (window.__interviewPrefs: it cannot depend on this script being loaded).
  function prefKey(name) {
    const keys = window.__interviewPrefs;
    return keys && typeof keys[name] === "string" ? keys[name] : null;
  }

  P.setMode = function (typed) {
    const key = prefKey("modeKey");
    if (!key) return true;
    try { window.localStorage.setItem(key, typed ? "typed" : "voice"); } catch (e) { /* storage disabled */ }
    return true;
  };

  // The read-aloud and typing switches store the choice the moment they are clicked (capture
  // phase, before the switch flips), not only when the server's answer comes back: a reload right
  // after the click keeps it. The server's answer then writes the same value again.
  document.addEventListener("click", (e) => {
    const target = e.target && e.target.closest ? e.target : null;
    const sw = target ? target.closest("#live-speak-toggle, #live-speak-switch") : null;
    const speakKey = prefKey("speakKey");
    if (sw && speakKey) {
      const on = sw.getAttribute("aria-checked") !== "true";
      try { window.localStorage.setItem(speakKey, on ? "1" : "0"); } catch (err) { /* storage disabled */ }
    }
    const mode = target ? target.closest("#live-typed-switch") : null;
    if (mode) P.setMode(mode.getAttribute("aria-checked") !== "true");
    if (target && target.closest("#live-to-voice")) P.setMode(false);  // the buttons during the interview, too
    if (target && target.closest("#live-to-typed")) P.setMode(true);
  }, true);

  P.closeSocket = function () {
    const ws = P.ws;
    P.ws = null; P.listening = false;
    if (ws) { try { ws.close(1000); } catch (e) { /* closed */ } }
  };

  P.finish = function () { finishLocal(); P.closeSocket(); return true; };

  window.InterviewPage = P;
})();
