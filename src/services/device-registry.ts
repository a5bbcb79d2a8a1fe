import type { ComputeDevices, EventSink } from '../contract/index.js';
import type { BackendReport } from '../ml/backends/backend-choice.js';

/** What the training and models panels show as the device that trains and the one that predicts. */
export interface DeviceRegistry {
  /** A compute process (the warm predictor, or a training run) loaded this backend. */
  loaded(role: 'prediction' | 'training', report: BackendReport): void;
  current(): ComputeDevices;
}

/** Remembers each role's device and tells every open UI when one changes (`system:devices`). */
export function createDeviceRegistry(emit: EventSink, team: boolean): DeviceRegistry {
  const devices: ComputeDevices = { prediction: null, training: null, team };
  return {
    loaded(role, { name, device }) {
      devices[role] = { backend: name, device };
      emit('system:devices', { ...devices });
    },
    current: () => ({ ...devices }),
  };
}
