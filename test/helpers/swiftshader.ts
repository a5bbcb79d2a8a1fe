import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './temp.js';

/** SwiftShader's Vulkan driver as Debian's chromium ships it: WebGPU on the CPU, for testing without a GPU. */
export const SWIFTSHADER_ICD = process.env['BRAINSEG_SWIFTSHADER_ICD'] ?? '/usr/lib/chromium/vk_swiftshader_icd.json';

function hasLibVulkan(): boolean {
  try {
    const out = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', env: { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/sbin:/usr/sbin` } });
    return /\blibvulkan\.so\.1\b/.test(out);
  } catch {
    return ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'].some((p) => existsSync(p));
  }
}

/**
 * Whether the WebGPU tests can run here, pointing the Vulkan loader at SwiftShader when they can (call before
 * loading the backend). In CI (`CI=true`) a missing SwiftShader or libvulkan is an error, so the suite cannot go
 * green by skipping; elsewhere the tests are skipped with a message saying what to install.
 */
export function swiftShaderAvailable(): boolean {
  const missing: string[] = [];
  if (!existsSync(SWIFTSHADER_ICD)) missing.push(`SwiftShader at ${SWIFTSHADER_ICD} (apt install chromium, or set BRAINSEG_SWIFTSHADER_ICD)`);
  if (!hasLibVulkan()) missing.push('the Vulkan loader libvulkan.so.1 (apt install libvulkan1)');
  if (missing.length === 0) {
    process.env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;
    return true;
  }
  if (process.env['CI']) throw new Error(`WebGPU tests need ${missing.join(' and ')}: .ci/run installs chromium and libvulkan1`);
  console.warn(`SKIPPED WebGPU tests: missing ${missing.join(' and ')}`);
  return false;
}

/**
 * Runs `createDevice` (the first WebGPU device of this process) with SwiftShader set to one worker thread. SwiftShader
 * reads its settings once, from a `SwiftShader.ini` in the working directory, when it makes its first device; its
 * default, a thread per core whose idle workers spin for work, wasted the CPU the suite's other files needed when
 * both cores were busy (CONTRIBUTING.md has the figures). Test files run in processes of their own (forks), so
 * changing the directory for that moment touches no other file.
 */
export async function onOneSwiftShaderThread<T>(createDevice: () => Promise<T>): Promise<T> {
  const dir = tempDir.persistent('brainseg-swiftshader-');
  const cwd = process.cwd();
  writeFileSync(path.join(dir, 'SwiftShader.ini'), '[Processor]\nThreadCount=1\n');
  process.chdir(dir);
  try {
    return await createDevice();
  } finally {
    process.chdir(cwd);
  }
}
