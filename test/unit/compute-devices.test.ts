// The device that trains and predicts, in the words the panels show (issue #28 item 3).
import { describe, expect, it } from 'vitest';
import { CPU_DEVICE_LABEL, tensorflowDeviceLabel, wasmDeviceLabel, webGpuDeviceLabel } from '../../src/ml/backends/device-label.js';
import { selectBackend } from '../../src/ml/backends/select-backend.js';
import type { GpuAdapterReport } from '../../src/ml/backends/webgpu.js';
import { createDeviceRegistry } from '../../src/services/device-registry.js';
import type { EventPayloads } from '../../src/contract/index.js';

const adapter = (over: Partial<GpuAdapterReport>): GpuAdapterReport => ({
  vendor: 'nvidia', architecture: 'ada', device: '', description: 'NVIDIA GeForce RTX 4070', software: false,
  maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 31, ...over,
});

describe('device labels', () => {
  it('names a GPU by its description and the API WebGPU runs through on each platform', () => {
    expect(webGpuDeviceLabel(adapter({}), 'linux')).toBe('NVIDIA GeForce RTX 4070 (WebGPU/Vulkan)');
    expect(webGpuDeviceLabel(adapter({ description: 'Apple M2' }), 'darwin')).toBe('Apple M2 (WebGPU/Metal)');
    expect(webGpuDeviceLabel(adapter({ description: '' }), 'win32')).toBe('nvidia ada (WebGPU/D3D12)');
  });

  it('says when a WebGPU adapter is a software one, never passing it off as a graphics card', () => {
    const swiftshader = adapter({ vendor: 'google', description: 'SwiftShader Device (Subzero)', software: true });
    expect(webGpuDeviceLabel(swiftshader, 'linux')).toBe('SwiftShader Device (Subzero) (WebGPU/Vulkan, a software GPU on the CPU)');
  });

  it('counts CPU threads in the plural only when there are several', () => {
    expect(wasmDeviceLabel(1, true)).toBe('1 CPU thread (WASM, SIMD)');
    expect(wasmDeviceLabel(4, false)).toBe('4 CPU threads (WASM)');
    expect(tensorflowDeviceLabel(true)).toMatch(/CUDA/);
    expect(tensorflowDeviceLabel(false, 8)).toBe('8 CPU threads (TensorFlow)');
  });

  it('reports the device of the backend that actually loaded', async () => {
    const wasm = await selectBackend('wasm');
    expect(wasm.device).toMatch(/^\d+ CPU threads? \(WASM(, SIMD)?\)$/);
    const cpu = await selectBackend('cpu');
    expect(cpu.device).toBe(CPU_DEVICE_LABEL);
  });
});

describe('the device registry the panels read', () => {
  it('keeps each role\'s device and tells the UI each time a compute process loads one', () => {
    const sent: EventPayloads['system:devices'][] = [];
    const devices = createDeviceRegistry((event, payload) => event === 'system:devices' && sent.push(payload as EventPayloads['system:devices']), false);
    expect(devices.current()).toEqual({ prediction: null, training: null, team: false });
    devices.loaded('prediction', { name: 'wasm', detail: '@tensorflow/tfjs-backend-wasm', device: '1 CPU thread (WASM, SIMD)', fallbacks: [] });
    devices.loaded('training', { name: 'webgpu', detail: 'x', device: 'Apple M2 (WebGPU/Metal)', fallbacks: [] });
    expect(devices.current()).toEqual({
      prediction: { backend: 'wasm', device: '1 CPU thread (WASM, SIMD)' }, training: { backend: 'webgpu', device: 'Apple M2 (WebGPU/Metal)' }, team: false,
    });
    expect(sent).toHaveLength(2);
    // Each event is a snapshot: a later change does not rewrite what was sent.
    expect(sent[0]!.training).toBeNull();
  });
});
