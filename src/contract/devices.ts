import { z } from 'zod';

// Compute devices: what trains and what predicts here, as the training and models panels show them (issue #28).

export const DEVICE_REQUESTS = {
  'system:devices': z.object({}).strict(),
} as const;

/** A backend that has loaded in a compute process, and the device it computes on. */
export interface ComputeDevice {
  /** The TensorFlow.js backend: tensorflow, webgpu, wasm or cpu. */
  backend: string;
  /** For people: "NVIDIA GeForce RTX 4070 (WebGPU/Vulkan)", "1 CPU thread (WASM, SIMD)". */
  device: string;
}

/**
 * What predicts (the warm predictor process, once started) and what trained last in this session (null until a
 * run has loaded its backend: both processes pick with the same `auto` order, so the predictor's device is what a
 * run will get too). `team`: training and predictions run at the team's workers, whose devices are theirs.
 */
export interface ComputeDevices {
  prediction: ComputeDevice | null;
  training: ComputeDevice | null;
  team: boolean;
}

export interface DeviceResults {
  'system:devices': ComputeDevices;
}

export interface DeviceEvents {
  /** A compute process loaded its backend: the devices as they are now. */
  'system:devices': ComputeDevices;
}
