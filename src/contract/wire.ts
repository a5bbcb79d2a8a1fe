// The WebSocket wire format of `brainseg serve`, used by both ends: JSON, with every Uint8Array carried as
// {"$bytes": base64} so masks and images survive. Base64 is done with Node's Buffer where it exists (the server:
// several times faster on 200 KB images) and with atob/btoa in the browser.

/** The part of Node's Buffer the codec uses (the renderer compiles without Node's types). */
interface BufferLike {
  from(data: ArrayBufferLike | string, offsetOrEncoding?: number | string, length?: number): { toString(encoding: string): string; buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
}

/** Encoder and decoder of the wire format. */
export interface WireCodec {
  encode(value: unknown): string;
  decode(text: string): unknown;
}

/** The codec with a given base64 implementation: Node's Buffer, or (undefined) atob/btoa as in a browser. */
export function createWireCodec(nodeBuffer: BufferLike | undefined): WireCodec {
  const toBase64 = (bytes: Uint8Array): string => {
    if (nodeBuffer) return nodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    let binary = '';
    const chunk = 0x8000; // String.fromCharCode takes its arguments on the stack: keep each call small
    for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
    return btoa(binary);
  };
  const fromBase64 = (text: string): Uint8Array => {
    if (nodeBuffer) {
      const b = nodeBuffer.from(text, 'base64');
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  };
  return {
    encode: (value) => JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { $bytes: toBase64(v) } : v)),
    decode: (text) => JSON.parse(text, (_key, v: unknown) => {
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { $bytes?: unknown }).$bytes === 'string') {
        return fromBase64((v as { $bytes: string }).$bytes);
      }
      return v;
    }),
  };
}

const codec = createWireCodec((globalThis as { Buffer?: BufferLike }).Buffer);
/** Encodes a message, turning every Uint8Array into a base64 marker object. */
export const encodeWire = codec.encode;
/** Decodes a message, turning base64 marker objects back into Uint8Array. */
export const decodeWire = codec.decode;
