// TensorFlow.js for the core, loaded with require(). Node imports a CommonJS package into an ES module only after
// scanning its source (and every package it re-exports) for export names: for @tensorflow/tfjs that scan doubled
// the cost of loading it (~0.85 → ~0.4 s of CPU), paid by every compute process and gradient thread. Import `tf`
// from here, never '@tensorflow/tfjs' itself: one ES import anywhere in a process brings the scan back.
import { createRequire } from 'node:module';
// eslint-disable-next-line no-restricted-imports -- the types only (erased); the one place that names the package
import type * as TF from '@tensorflow/tfjs';

export const tf = createRequire(import.meta.url)('@tensorflow/tfjs') as typeof TF;

// The types the core names as `tf.X` (a value cannot carry them; this namespace, merged with it, does).
/* eslint-disable @typescript-eslint/no-namespace -- declaration merging with the value is what carries the types */
export declare namespace tf {
  export type DataType = TF.DataType;
  export type GradConfig = TF.GradConfig;
  export type KernelBackend = TF.KernelBackend;
  export type KernelFunc = TF.KernelFunc;
  export type LayersModel = TF.LayersModel;
  export type NamedAttrMap = TF.NamedAttrMap;
  export type NamedTensorInfoMap = TF.NamedTensorInfoMap;
  export type NamedTensorMap = TF.NamedTensorMap;
  export type Optimizer = TF.Optimizer;
  export type Rank = TF.Rank;
  export type Scalar = TF.Scalar;
  export type SGDOptimizer = TF.SGDOptimizer;
  export type Shape = TF.Shape;
  export type SymbolicTensor = TF.SymbolicTensor;
  export type Tensor<R extends TF.Rank = TF.Rank> = TF.Tensor<R>;
  export type Tensor1D = TF.Tensor1D;
  export type Tensor2D = TF.Tensor2D;
  export type Tensor3D = TF.Tensor3D;
  export type Tensor4D = TF.Tensor4D;
  export type TensorInfo = TF.TensorInfo;
  export type Variable = TF.Variable;
  export namespace backend_util {
    export type Conv2DInfo = TF.backend_util.Conv2DInfo;
    export type ExplicitPadding = TF.backend_util.ExplicitPadding;
  }
  export namespace io {
    export type WeightsManifestEntry = TF.io.WeightsManifestEntry;
  }
  export namespace layers {
    export type Layer = TF.layers.Layer;
  }
  export namespace serialization {
    export type ConfigDict = TF.serialization.ConfigDict;
  }
}
/* eslint-enable @typescript-eslint/no-namespace */
