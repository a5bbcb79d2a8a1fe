import type { ComputeDevices, RendererApi } from '../../../src/contract/index.js';
import { useDevices } from '../state/use-devices.js';

/** What the line says for a role; both compute processes pick with the same order, so one stands for the other. */
function describe(devices: ComputeDevices | null, role: 'training' | 'prediction'): { text: string; title: string } {
  if (devices?.team) return { text: "the team's workers", title: 'This catalog is shared: its workers train and predict on their own devices.' };
  const own = devices?.[role];
  if (own) return { text: own.device, title: `TensorFlow.js backend: ${own.backend}` };
  const other = devices?.[role === 'training' ? 'prediction' : 'training'];
  if (other) return { text: other.device, title: `The device the ${role === 'training' ? 'predictor' : 'last training run'} loaded (the same choice applies); \`brainseg backends\` lists every backend here.` };
  return { text: 'chosen when the first model runs', title: 'CUDA, then a GPU through WebGPU, then WASM, then plain JavaScript; `brainseg backends` lists what loads here.' };
}

/** "Trains on: NVIDIA GeForce RTX 4070 (WebGPU/Vulkan)" — so a slow run is not a mystery. */
export function ComputeDeviceLine({ api, role }: { api: RendererApi; role: 'training' | 'prediction' }) {
  const { text, title } = describe(useDevices(api), role);
  return (
    <p className="hint compute-device" data-role={role} title={title}>
      {role === 'training' ? 'Trains on' : 'Predicts on'}: <span className="device">{text}</span>
    </p>
  );
}
