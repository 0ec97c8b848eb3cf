/** Variables of the worker's environment a trainer gets, by name. */
const PASSED_NAMES = new Set([
  'PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TMP', 'TEMP',
  'LD_LIBRARY_PATH', 'XDG_CACHE_HOME', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS',
]);
/** …and by prefix: the locale, and what CUDA, NCCL, PyTorch and its compilers read. */
const PASSED_PREFIXES = ['LC_', 'CUDA_', 'NCCL_', 'TORCH_', 'TORCHINDUCTOR_', 'PYTORCH_', 'TRITON_', 'NVIDIA_', 'CUBLAS_', 'CUDNN_'];

/**
 * The trainer's whole environment: an explicit allowlist of the worker's variables plus the
 * invocation's own. The worker's secrets (DATABASE_URL, SIGNING_SECRET, S3 keys, REDIS_URL, …) never
 * reach it, so a trainer that runs code it should not cannot use them.
 */
export function trainerEnvironment(parent: NodeJS.ProcessEnv, own: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && (PASSED_NAMES.has(name) || PASSED_PREFIXES.some((prefix) => name.startsWith(prefix)))) env[name] = value;
  }
  return { ...env, ...own };
}
