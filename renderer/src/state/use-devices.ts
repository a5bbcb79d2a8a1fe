import { useEffect, useState } from 'react';
import type { ComputeDevices, RendererApi } from '../../../src/contract/index.js';

/** The devices that train and predict, as the core knows them now; updated when a compute process loads one. */
export function useDevices(api: RendererApi): ComputeDevices | null {
  const [devices, setDevices] = useState<ComputeDevices | null>(null);
  useEffect(() => {
    let live = true;
    const off = api.on('system:devices', setDevices);
    // An answer that arrives after an event must not overwrite it with an older state.
    void api.request('system:devices', {}).then((now) => live && setDevices((seen) => seen ?? now), () => undefined);
    return () => {
      live = false;
      off();
    };
  }, [api]);
  return devices;
}
