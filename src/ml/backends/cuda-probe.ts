import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The shared libraries tfjs-node-gpu 4.22's libtensorflow (TensorFlow 2.9) opens to run on an NVIDIA GPU: the
 * driver's libcuda, CUDA 11.x runtime and maths libraries, and cuDNN 8. Without them it runs on the CPU.
 */
export const CUDA_LIBRARIES: readonly string[] = [
  'libcuda.so.1', 'libcudart.so.11.0', 'libcublas.so.11', 'libcublasLt.so.11', 'libcufft.so.10', 'libcurand.so.10',
  'libcusolver.so.11', 'libcusparse.so.11', 'libcudnn.so.8',
];

/** What to install for each missing library. */
export const CUDA_INSTALL_HINT = 'the NVIDIA driver (libcuda.so.1), CUDA 11.2+ runtime libraries (cuda-libraries-11-x: ' +
  'cudart, cublas, cufft, curand, cusolver, cusparse) and cuDNN 8 (libcudnn8), on the loader path (ldconfig or LD_LIBRARY_PATH)';

let cached: string[] | null = null;

/** Names the dynamic loader knows (`ldconfig -p`), empty where ldconfig is missing. */
function loaderCache(): Set<string> {
  try {
    const out = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/sbin:/usr/sbin` } });
    return new Set(out.split('\n').map((line) => line.trim().split(' ')[0]!).filter(Boolean));
  } catch {
    return new Set();
  }
}

/** Which of {@link CUDA_LIBRARIES} neither `ldconfig -p` nor LD_LIBRARY_PATH has (dlopen's own search). */
export function missingCudaLibraries(): string[] {
  if (cached) return cached;
  const known = loaderCache();
  const dirs = (process.env['LD_LIBRARY_PATH'] ?? '').split(':').filter(Boolean);
  cached = CUDA_LIBRARIES.filter((lib) => !known.has(lib) && !dirs.some((dir) => existsSync(path.join(dir, lib))));
  return cached;
}
