/*
 * AudioWorklet: microphone audio (any sample rate, any channel count) -> 16 kHz mono PCM16
 * little-endian frames of ~100 ms, posted to the main thread as {pcm: ArrayBuffer, rms: number}.
 * Downsampling averages the input samples that fall into each output sample (a box filter,
 * enough against aliasing for speech). Message "flush" posts the partial frame at once.
 * Loaded by mic_bridge.js with audioWorklet.addModule(); plain JS, no build step.
 */
const TARGET_RATE = 16000;
const FRAME_SAMPLES = 1600; // 100 ms at 16 kHz

class Pcm16Downsampler extends AudioWorkletProcessor {
  constructor() {
    super();
    this.ratio = sampleRate / TARGET_RATE; // `sampleRate` is the context's rate (worklet global)
    this.pos = 0;
    this.acc = 0;
    this.accCount = 0;
    this.out = new Int16Array(FRAME_SAMPLES);
    this.outCount = 0;
    this.sumSquares = 0;
    this.port.onmessage = (event) => {
      if (event.data === "flush") this.flush();
    };
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const channels = input.length;
    const length = input[0].length;
    for (let i = 0; i < length; i++) {
      let sample = 0;
      for (let c = 0; c < channels; c++) sample += input[c][i];
      this.acc += sample / channels;
      this.accCount += 1;
      this.pos += 1;
      if (this.pos >= this.ratio) {
        this.pos -= this.ratio;
        this.push(this.acc / this.accCount);
        this.acc = 0;
        this.accCount = 0;
      }
    }
    return true; // keep processing while the node is connected
  }

  push(value) {
    const s = value > 1 ? 1 : value < -1 ? -1 : value;
    this.sumSquares += s * s;
    this.out[this.outCount++] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
    if (this.outCount === FRAME_SAMPLES) this.flush();
  }

  flush() {
    if (this.outCount === 0) return;
    const frame = this.out.slice(0, this.outCount); // Int16Array: little-endian on every browser platform
    const rms = Math.sqrt(this.sumSquares / this.outCount);
    this.port.postMessage({ pcm: frame.buffer, rms: rms }, [frame.buffer]);
    this.outCount = 0;
    this.sumSquares = 0;
  }
}

registerProcessor("pcm16-downsampler", Pcm16Downsampler);
