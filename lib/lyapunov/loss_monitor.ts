/**
 * A robust monitor of training progress (Discussion, §3.3): e^{m_L}, the exponential of the running mean of log loss,
 * next to the running mean loss, for any training loop.
 *
 * @module
 */

import * as check from "../core/validate.ts";

/** Options of {@linkcode RobustLossMonitor}. */
export interface RobustLossMonitorOptions {
  /** Average over the last `window` losses. @default 100 */
  window?: number;
  /** If set, weight losses exponentially with this half-life (in steps) instead of a window. */
  halfLife?: number;
}

/** One reading of the monitor, after a loss was pushed. */
export interface LossReading {
  /** The number of losses pushed so far. */
  step: number;
  /** The loss just pushed. */
  loss: number;
  /** The running mean loss (window or exponentially weighted). */
  meanLoss: number;
  /** The running mean of log loss: an estimate of m_L (eq. 10). */
  meanLogLoss: number;
  /** e^{meanLogLoss}: the robust loss, a geometric mean (0 if a loss in the average was exactly 0). */
  robustLoss: number;
}

/**
 * Takes minibatch losses as they arrive and reports e^{m_L} — the exponential of the running mean of log loss — next to
 * the running mean loss (Discussion: the mean loss is dominated by rare runs or rare batches; e^{m_L} follows the
 * typical value). The average is over the last `window` losses, or exponentially weighted with `halfLife`. Usable in
 * any training loop; it keeps O(window) numbers.
 *
 * @example A loss that is usually small with rare spikes
 * ```ts
 * import { RobustLossMonitor } from "@probstab/sgd";
 * import assert from "node:assert/strict";
 *
 * const monitor = new RobustLossMonitor({ window: 100 });
 * let last;
 * for (let t = 0; t < 100; t++) last = monitor.push(t % 50 === 0 ? 1e6 : 0.01);
 * assert.ok(last!.meanLoss > 1e4); // two spikes carry the mean
 * assert.ok(last!.robustLoss < 0.03); // the geometric mean stays near the typical 0.01
 * ```
 */
export class RobustLossMonitor {
  private readonly window: number;
  private readonly decay: number | undefined;
  private readonly losses: Float64Array;
  private readonly logs: Float64Array;
  private count = 0;
  private sum = 0;
  private sumLog = 0;
  private zeros = 0;
  private weight = 0;
  private readonly history: LossReading[] = [];

  /**
   * A new monitor.
   *
   * @param options The window, or the half-life of exponential weighting.
   */
  constructor(options: RobustLossMonitorOptions = {}) {
    const fn = "RobustLossMonitor";
    const o = check.options(fn, options);
    this.window = check.integerInRange(fn, "options.window", o.window ?? 100);
    this.decay = o.halfLife === undefined
      ? undefined
      : Math.pow(0.5, 1 / check.positiveNumber(fn, "options.halfLife", o.halfLife));
    this.losses = new Float64Array(this.decay === undefined ? this.window : 0);
    this.logs = new Float64Array(this.decay === undefined ? this.window : 0);
  }

  /**
   * Adds one loss value and returns the current reading.
   *
   * @param loss A finite loss ≥ 0.
   * @returns The reading after this loss.
   */
  push(loss: number): LossReading {
    const value = check.learningRate("RobustLossMonitor.push", "loss", loss);
    const lg = Math.log(value);
    this.count++;
    let meanLoss: number;
    let meanLogLoss: number;
    if (this.decay !== undefined) {
      // Exponentially weighted: weights sum to `weight`.
      const d = this.decay;
      this.weight = d * this.weight + 1;
      this.sum = d * this.sum + value;
      this.zeros = d * this.zeros + (lg === -Infinity ? 1 : 0);
      this.sumLog = d * this.sumLog + (lg === -Infinity ? 0 : lg);
      meanLoss = this.sum / this.weight;
      meanLogLoss = this.zeros > 1e-12 ? -Infinity : this.sumLog / this.weight;
    } else {
      const slot = (this.count - 1) % this.window;
      if (this.count > this.window) {
        this.sum -= this.losses[slot];
        if (this.logs[slot] === -Infinity) this.zeros--;
        else this.sumLog -= this.logs[slot];
      }
      this.losses[slot] = value;
      this.logs[slot] = lg;
      this.sum += value;
      if (lg === -Infinity) this.zeros++;
      else this.sumLog += lg;
      const n = Math.min(this.count, this.window);
      meanLoss = this.sum / n;
      meanLogLoss = this.zeros > 0 ? -Infinity : this.sumLog / n;
    }
    const reading = { step: this.count, loss: value, meanLoss, meanLogLoss, robustLoss: Math.exp(meanLogLoss) };
    this.history.push(reading);
    return reading;
  }

  /**
   * All readings so far, oldest first.
   *
   * @returns A copy of the history.
   */
  readings(): LossReading[] {
    return this.history.slice();
  }
}
