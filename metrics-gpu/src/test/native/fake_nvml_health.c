/* The fake libnvidia-ml.so's health readings, processes and MIG (see fake_nvml.c). */
#include <stddef.h>
#include <time.h>

#include "fake_nvml.h"

nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t handle, int count, nvmlFieldValue_t *values) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_FIELDS, &rc);
  if (d == NULL) return rc;
  if (values == NULL || count < 0) return NVML_ERROR_INVALID_ARGUMENT;
  for (int i = 0; i < count; i++) {
    nvmlFieldValue_t *v = &values[i];
    v->timestamp = (long long)time(NULL) * 1000000LL;
    v->latencyUsec = 0;
    if (v->fieldId != NVML_FI_DEV_MEMORY_TEMP) {
      v->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
      continue;
    }
    v->nvmlReturn = d->fail[F_MEM_TEMP];
    v->valueType = NVML_VALUE_TYPE_UNSIGNED_INT;
    v->value.ullVal = 0xdeadbeef00000000ULL; /* the upper half is garbage, as in a real union */
    v->value.uiVal = d->mem_temp;
  }
  return NVML_SUCCESS;
}

static nvmlReturn_t reasons(nvmlDevice_t handle, unsigned long long *out) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_REASONS, &rc);
  if (d == NULL) return rc;
  if (out == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  *out = d->reasons;
  return NVML_SUCCESS;
}

#ifndef OLD_DRIVER /* R535 renamed throttle reasons to clock event reasons */
nvmlReturn_t nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t handle, unsigned long long *r) {
  return reasons(handle, r);
}
#endif

nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t handle, unsigned long long *r) {
  return reasons(handle, r);
}

nvmlReturn_t nvmlDeviceGetTotalEccErrors(nvmlDevice_t handle, int errorType, int counterType,
                                         unsigned long long *count) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_ECC, &rc);
  if (d == NULL) return rc;
  if (count == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  unsigned long long value;
  if (errorType == NVML_MEMORY_ERROR_TYPE_CORRECTED) value = d->ecc_corr;
  else if (errorType == NVML_MEMORY_ERROR_TYPE_UNCORRECTED) value = d->ecc_unc;
  else return NVML_ERROR_INVALID_ARGUMENT;
  if (counterType == NVML_AGGREGATE_ECC) value += 1000; /* lifetime counts: a wrong enum shows */
  else if (counterType != NVML_VOLATILE_ECC) return NVML_ERROR_INVALID_ARGUMENT;
  *count = value;
  return NVML_SUCCESS;
}

#ifndef OLD_DRIVER
nvmlReturn_t nvmlDeviceGetRemappedRows(nvmlDevice_t handle, unsigned int *corrRows,
                                       unsigned int *uncRows, unsigned int *isPending,
                                       unsigned int *failureOccurred) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_REMAPPED, &rc);
  if (d == NULL) return rc;
  if (!corrRows || !uncRows || !isPending || !failureOccurred) return NVML_ERROR_INVALID_ARGUMENT;
  *corrRows = d->remap_corr;
  *uncRows = d->remap_unc;
  *isPending = d->remap_pending;
  *failureOccurred = d->remap_failed;
  return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetPcieReplayCounter(nvmlDevice_t handle, unsigned int *value) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_PCIE_REPLAY, &rc);
  if (d == NULL) return rc;
  if (value == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  *value = d->pcie_replays;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t handle, int counter, unsigned int *value) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_PCIE_THROUGHPUT, &rc);
  if (d == NULL) return rc;
  if (value == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (counter == NVML_PCIE_UTIL_TX_BYTES) *value = d->pcie_tx_kbs;
  else if (counter == NVML_PCIE_UTIL_RX_BYTES) *value = d->pcie_rx_kbs;
  else return NVML_ERROR_INVALID_ARGUMENT;
  return NVML_SUCCESS;
}

/* Processes of a physical device (all of them) or of a MIG device (those in its instance). */
static nvmlReturn_t processes(nvmlDevice_t handle, unsigned int *count, nvmlProcessInfo_t *infos) {
  counts[4]++;
  nvmlReturn_t rc;
  struct fake_device *d = device_of(handle, F_PROCESSES, &rc, 1);
  if (d == NULL) return rc;
  if (count == NULL || (*count > 0 && infos == NULL)) return NVML_ERROR_INVALID_ARGUMENT;
  struct fake_mig *m = as_mig(handle);
  unsigned int n = 0;
  for (unsigned int i = 0; i < d->proc_count; i++) n += m == NULL || d->proc_gi[i] == m->gi;
  if (*count < n) {
    *count = n;
    return NVML_ERROR_INSUFFICIENT_SIZE;
  }
  unsigned int j = 0;
  for (unsigned int i = 0; i < d->proc_count; i++) {
    if (m != NULL && d->proc_gi[i] != m->gi) continue;
    infos[j].pid = d->proc_pid[i];
    infos[j].usedGpuMemory = d->proc_mem[i];
    infos[j].gpuInstanceId = d->proc_gi[i];
    infos[j].computeInstanceId = d->proc_gi[i] == 0xFFFFFFFFu ? 0xFFFFFFFFu : 0;
    j++;
  }
  *count = n;
  return NVML_SUCCESS;
}

#ifndef OLD_DRIVER
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t handle, unsigned int *count,
                                                     nvmlProcessInfo_t *infos) {
  return processes(handle, count, infos);
}
#endif

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v2(nvmlDevice_t handle, unsigned int *count,
                                                     nvmlProcessInfo_t *infos) {
  return processes(handle, count, infos);
}

#ifndef OLD_DRIVER
nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t handle, unsigned int *current, unsigned int *pending) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_MIG_MODE, &rc);
  if (d == NULL) return rc;
  if (current == NULL || pending == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (!d->mig_capable) return NVML_ERROR_NOT_SUPPORTED;
  *current = *pending = d->mig_count > 0 ? NVML_DEVICE_MIG_ENABLE : 0;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t handle, unsigned int *count) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_MIG_MODE, &rc);
  if (d == NULL) return rc;
  if (count == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (!d->mig_capable) return NVML_ERROR_NOT_SUPPORTED;
  *count = NVML_MAX_MIG;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t handle, unsigned int index,
                                                 nvmlDevice_t *mig) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_MIG_MODE, &rc);
  if (d == NULL) return rc;
  if (mig == NULL || index >= NVML_MAX_MIG) return NVML_ERROR_INVALID_ARGUMENT;
  if (d->mig_count == 0) return NVML_ERROR_INVALID_ARGUMENT;
  if (index >= d->mig_count) return NVML_ERROR_NOT_FOUND;
  *mig = (nvmlDevice_t)(void *)&d->mig[index];
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetGpuInstanceId(nvmlDevice_t handle, unsigned int *id) {
  if (!initialised) return NVML_ERROR_UNINITIALIZED;
  struct fake_mig *m = as_mig(handle);
  if (id == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (m == NULL) return NVML_ERROR_NOT_SUPPORTED; /* a physical device has no instance id */
  *id = m->gi;
  return NVML_SUCCESS;
}
#endif

/* Lists a compute process on device `dev` (in GPU instance `gi` under MIG, else 0xFFFFFFFF). */
int fake_process(int dev, unsigned int pid, unsigned long long bytes, unsigned int gi) {
  if (dev < 0 || dev >= MAX_DEVICES || devices[dev].proc_count >= MAX_PROCESSES) return -1;
  struct fake_device *d = &devices[dev];
  d->proc_pid[d->proc_count] = pid;
  d->proc_mem[d->proc_count] = bytes;
  d->proc_gi[d->proc_count] = gi;
  d->proc_count++;
  return 0;
}
