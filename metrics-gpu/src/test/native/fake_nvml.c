/*
 * A fake libnvidia-ml.so for tests: the NVML functions the GPU module binds, with the
 * signatures, struct layouts and return codes of NVIDIA's nvml.h, over up to 8 devices (2 by
 * default) whose values the test sets through the fake_* functions (called through JNA).
 *
 * It checks what a real driver checks and a layout mistake would break: the nvmlMemory_v2_t
 * version word, buffer lengths, the sensor, clock, ECC and PCIe enums, handles, field ids and
 * init before use. Switches: any call can answer any code (fake_fail), MIG on with instances
 * (fake_set "mig"), processes by PID (fake_process), XID events injected at runtime
 * (fake_inject_xid), and build variants without newer symbols:
 *   gcc -shared -fPIC -o libnvidia-ml.so.1 fake_nvml*.c -lpthread
 *   -DNO_MEMORY_V2   a driver before R510
 *   -DOLD_DRIVER     a driver before R450: no memory v2, clock event reasons (throttle reasons
 *                    only), processes v3 (v2 only), row remapper, MIG, CUDA version v2, event wait v2
 *   -DNO_EVENTS      a driver without the event API (as under WSL)
 *
 * Split by concern: fake_nvml.c the state, the test's controls and the everyday readings;
 * fake_nvml_health.c the health readings, processes and MIG; fake_nvml_events.c the XID events.
 */
#include <stdio.h>
#include <string.h>

#include "fake_nvml.h"

static const char *CALLS[F_COUNT] = {
    "handle", "name", "uuid", "utilization", "memory", "temperature", "power", "energy", "clock",
    "memory_clock", "field_values", "memory_temperature", "power_limit", "clock_reasons", "ecc",
    "remapped_rows", "pcie_replay", "pcie_throughput", "processes", "mig_mode", "events"};

struct fake_device devices[MAX_DEVICES];
unsigned int device_count;
int initialised;
int init_rc, memory_v2_rc, cuda_rc, event_set_rc, event_wait_rc;
int counts[16]; /* see fake_count */
struct fake_event_set sets[4];
struct fake_event queue[QUEUE];
unsigned int head, tail; /* queue[head..tail) */
pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t arrived = PTHREAD_COND_INITIALIZER;

static void defaults(void) {
  memset(devices, 0, sizeof devices);
  for (int i = 0; i < MAX_DEVICES; i++) {
    struct fake_device *d = &devices[i];
    d->util_gpu = 40 + i;
    d->util_mem = 20 + i;
    d->temp = 50 + i;
    d->mem_temp = 60 + i;
    d->power_mw = 150000 + i * 1000;
    d->power_limit_mw = 700000;
    d->sm_mhz = 1410 + i;
    d->mem_mhz = 2619 + i;
    d->mem_total = 85899345920ULL;
    d->mem_used = 1073741824ULL * (i + 1);
    d->mem_reserved = 536870912ULL;
    d->energy_mj = 1000000ULL * (i + 1);
    d->energy_step_mj = 1500;
    d->reasons = 0;
    d->ecc_corr = 3 + i;
    d->ecc_unc = 0;
    d->remap_corr = 1;
    d->pcie_replays = 7 + i;
    d->pcie_tx_kbs = 1000 + i;
    d->pcie_rx_kbs = 2000 + i;
    d->mig_capable = 1;
    for (int m = 0; m < NVML_MAX_MIG; m++) {
      d->mig[m].parent = d;
      d->mig[m].gi = (unsigned int)m + 1;
      d->mig[m].mem_total = 10737418240ULL * (m + 1);
      d->mig[m].mem_used = 536870912ULL * (m + 1);
    }
  }
  device_count = 2;
  initialised = 0;
  init_rc = memory_v2_rc = cuda_rc = event_set_rc = event_wait_rc = NVML_SUCCESS;
  memset(counts, 0, sizeof counts);
  pthread_mutex_lock(&lock);
  memset(sets, 0, sizeof sets);
  head = tail = 0;
  pthread_mutex_unlock(&lock);
}

static int call_index(const char *call) {
  for (int i = 0; i < F_COUNT; i++) {
    if (strcmp(CALLS[i], call) == 0) return i;
  }
  return -1;
}

/* ---- control, called by the test ---- */

void fake_reset(void) { defaults(); }

/*
 * Sets one value of device `dev`, or a global when dev < 0: "devices" (count, up to 8), "init_rc",
 * "memory_v2_rc", "cuda_rc", "event_set_rc", "event_wait_rc". "mig" n turns MIG on with n
 * instances (0: off); "reasons" is the clock event reason bit mask.
 */
int fake_set(int dev, const char *key, unsigned long long value) {
  if (dev < 0) {
    if (strcmp(key, "devices") == 0 && value <= MAX_DEVICES) device_count = (unsigned int)value;
    else if (strcmp(key, "init_rc") == 0) init_rc = (int)value;
    else if (strcmp(key, "memory_v2_rc") == 0) memory_v2_rc = (int)value;
    else if (strcmp(key, "cuda_rc") == 0) cuda_rc = (int)value;
    else if (strcmp(key, "event_set_rc") == 0) event_set_rc = (int)value;
    else if (strcmp(key, "event_wait_rc") == 0) event_wait_rc = (int)value;
    else return -1;
    return 0;
  }
  if (dev >= MAX_DEVICES) return -1;
  struct fake_device *d = &devices[dev];
  if (strcmp(key, "util_gpu") == 0) d->util_gpu = (unsigned int)value;
  else if (strcmp(key, "util_mem") == 0) d->util_mem = (unsigned int)value;
  else if (strcmp(key, "temp") == 0) d->temp = (unsigned int)value;
  else if (strcmp(key, "mem_temp") == 0) d->mem_temp = (unsigned int)value;
  else if (strcmp(key, "power_mw") == 0) d->power_mw = (unsigned int)value;
  else if (strcmp(key, "power_limit_mw") == 0) d->power_limit_mw = (unsigned int)value;
  else if (strcmp(key, "sm_mhz") == 0) d->sm_mhz = (unsigned int)value;
  else if (strcmp(key, "mem_mhz") == 0) d->mem_mhz = (unsigned int)value;
  else if (strcmp(key, "mem_total") == 0) d->mem_total = value;
  else if (strcmp(key, "mem_used") == 0) d->mem_used = value;
  else if (strcmp(key, "energy_mj") == 0) d->energy_mj = value;
  else if (strcmp(key, "energy_step_mj") == 0) d->energy_step_mj = value;
  else if (strcmp(key, "reasons") == 0) d->reasons = value;
  else if (strcmp(key, "ecc_corrected") == 0) d->ecc_corr = value;
  else if (strcmp(key, "ecc_uncorrected") == 0) d->ecc_unc = value;
  else if (strcmp(key, "remap_corr") == 0) d->remap_corr = (unsigned int)value;
  else if (strcmp(key, "remap_unc") == 0) d->remap_unc = (unsigned int)value;
  else if (strcmp(key, "remap_pending") == 0) d->remap_pending = (unsigned int)value;
  else if (strcmp(key, "remap_failed") == 0) d->remap_failed = (unsigned int)value;
  else if (strcmp(key, "pcie_replays") == 0) d->pcie_replays = (unsigned int)value;
  else if (strcmp(key, "pcie_tx_kbs") == 0) d->pcie_tx_kbs = (unsigned int)value;
  else if (strcmp(key, "pcie_rx_kbs") == 0) d->pcie_rx_kbs = (unsigned int)value;
  else if (strcmp(key, "mig_capable") == 0) d->mig_capable = (unsigned int)value;
  else if (strcmp(key, "mig") == 0 && value <= NVML_MAX_MIG) d->mig_count = (unsigned int)value;
  else return -1;
  return 0;
}

/* Makes `call` ("memory", ..., or "*" for every device call) of device `dev` return `rc`. */
int fake_fail(int dev, const char *call, int rc) {
  if (dev < 0 || dev >= MAX_DEVICES) return -1;
  if (strcmp(call, "*") == 0) {
    for (int i = 0; i < F_COUNT; i++) devices[dev].fail[i] = rc;
    return 0;
  }
  int i = call_index(call);
  if (i < 0) return -1;
  devices[dev].fail[i] = rc;
  return 0;
}

/* How often `call` (as fake_fail names it) reached device `dev`, failing or not. */
int fake_calls(int dev, const char *call) {
  int i = call_index(call);
  if (dev < 0 || dev >= MAX_DEVICES || i < 0) return -1;
  return devices[dev].calls[i];
}

/* How often a call was made: "init", "shutdown", "memory_v2", "memory_v1", "processes",
 * "event_set_create", "event_set_free", "event_wait", "registered" (devices registered now),
 * or "queued" (XID events not yet taken). */
int fake_count(const char *what) {
  if (strcmp(what, "init") == 0) return counts[0];
  if (strcmp(what, "shutdown") == 0) return counts[1];
  if (strcmp(what, "memory_v2") == 0) return counts[2];
  if (strcmp(what, "memory_v1") == 0) return counts[3];
  if (strcmp(what, "processes") == 0) return counts[4];
  if (strcmp(what, "event_set_create") == 0) return counts[5];
  if (strcmp(what, "event_set_free") == 0) return counts[6];
  if (strcmp(what, "event_wait") == 0) return counts[7];
  if (strcmp(what, "registered") == 0) {
    int n = 0;
    pthread_mutex_lock(&lock);
    for (int s = 0; s < 4; s++)
      for (int i = 0; i < MAX_DEVICES; i++) n += sets[s].in_use && sets[s].registered[i] != 0;
    pthread_mutex_unlock(&lock);
    return n;
  }
  if (strcmp(what, "queued") == 0) {
    pthread_mutex_lock(&lock);
    int n = (int)(tail - head);
    pthread_mutex_unlock(&lock);
    return n;
  }
  return -1;
}

/* ---- NVML ---- */

struct fake_mig *as_mig(nvmlDevice_t handle) {
  for (unsigned int i = 0; i < device_count; i++) {
    struct fake_device *d = &devices[i];
    for (unsigned int m = 0; m < d->mig_count; m++) {
      if ((void *)handle == (void *)&d->mig[m]) return &d->mig[m];
    }
  }
  return NULL;
}

struct fake_device *device_of(nvmlDevice_t handle, int call, nvmlReturn_t *rc, int mig_ok) {
  if (!initialised) {
    *rc = NVML_ERROR_UNINITIALIZED;
    return NULL;
  }
  struct fake_device *d = NULL;
  for (unsigned int i = 0; i < device_count; i++) {
    if (handle == &devices[i]) d = &devices[i];
  }
  if (d == NULL && mig_ok) {
    struct fake_mig *m = as_mig(handle);
    if (m != NULL) d = m->parent;
  }
  if (d == NULL) {
    *rc = NVML_ERROR_INVALID_ARGUMENT;
    return NULL;
  }
  d->calls[call]++;
  *rc = d->fail[call];
  return *rc == NVML_SUCCESS ? d : NULL;
}

struct fake_device *device(nvmlDevice_t handle, int call, nvmlReturn_t *rc) {
  return device_of(handle, call, rc, 0);
}

nvmlReturn_t nvmlInit_v2(void) {
  counts[0]++;
  if (init_rc != NVML_SUCCESS) return init_rc;
  initialised = 1;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown(void) {
  counts[1]++;
  if (!initialised) return NVML_ERROR_UNINITIALIZED;
  initialised = 0;
  return NVML_SUCCESS;
}

const char *nvmlErrorString(nvmlReturn_t result) {
  switch (result) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
    case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_NO_PERMISSION: return "Insufficient Permissions";
    case NVML_ERROR_NOT_FOUND: return "Not Found";
    case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
    case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
    case NVML_ERROR_TIMEOUT: return "Timeout";
    case NVML_ERROR_GPU_IS_LOST: return "GPU is lost";
    case NVML_ERROR_ARGUMENT_VERSION_MISMATCH: return "Argument version mismatch";
    default: return "Unknown Error";
  }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length) {
  if (!initialised) return NVML_ERROR_UNINITIALIZED;
  if (version == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (length < NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE) return NVML_ERROR_INSUFFICIENT_SIZE;
  snprintf(version, length, "%s", "550.54.15");
  return NVML_SUCCESS;
}

static nvmlReturn_t cuda_version(int *version, int value) {
  if (!initialised) return NVML_ERROR_UNINITIALIZED;
  if (version == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (cuda_rc != NVML_SUCCESS) return cuda_rc;
  *version = value;
  return NVML_SUCCESS;
}

#ifndef OLD_DRIVER
nvmlReturn_t nvmlSystemGetCudaDriverVersion_v2(int *version) { return cuda_version(version, 12040); }
#endif

/* v1 reads the version of the libcuda it finds; the fake makes it differ so a test sees which. */
nvmlReturn_t nvmlSystemGetCudaDriverVersion(int *version) { return cuda_version(version, 11080); }

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
  if (!initialised) return NVML_ERROR_UNINITIALIZED;
  if (count == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  *count = device_count;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *handle) {
  if (!initialised) return NVML_ERROR_UNINITIALIZED;
  if (handle == NULL || index >= device_count) return NVML_ERROR_INVALID_ARGUMENT;
  if (devices[index].fail[F_HANDLE] != NVML_SUCCESS) return devices[index].fail[F_HANDLE];
  *handle = &devices[index];
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t handle, char *name, unsigned int length) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_NAME, &rc);
  if (d == NULL) return rc;
  if (name == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (length < NVML_DEVICE_NAME_V2_BUFFER_SIZE) return NVML_ERROR_INSUFFICIENT_SIZE;
  snprintf(name, length, "NVIDIA Fake H100 80GB HBM3 #%d", (int)(d - devices));
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t handle, char *uuid, unsigned int length) {
  nvmlReturn_t rc;
  struct fake_device *d = device_of(handle, F_UUID, &rc, 1);
  if (d == NULL) return rc;
  if (uuid == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (length < NVML_DEVICE_UUID_V2_BUFFER_SIZE) return NVML_ERROR_INSUFFICIENT_SIZE;
  struct fake_mig *m = as_mig(handle);
  if (m != NULL) {
    snprintf(uuid, length, "MIG-00000000-0000-0000-0000-0000000000%d%u", (int)(d - devices), m->gi);
  } else {
    snprintf(uuid, length, "GPU-00000000-0000-0000-0000-00000000000%d", (int)(d - devices));
  }
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t handle, nvmlUtilization_t *utilization) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_UTIL, &rc);
  if (d == NULL) return rc;
  if (utilization == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  utilization->gpu = d->util_gpu;
  utilization->memory = d->util_mem;
  return NVML_SUCCESS;
}

#ifndef NO_MEMORY_V2 /* drivers before R510 lack it */
nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t handle, nvmlMemory_v2_t *memory) {
  counts[2]++;
  if (memory_v2_rc != NVML_SUCCESS) return memory_v2_rc;
  nvmlReturn_t rc;
  struct fake_device *d = device_of(handle, F_MEMORY, &rc, 1);
  if (d == NULL) return rc;
  if (memory == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (memory->version != nvmlMemory_v2) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
  struct fake_mig *m = as_mig(handle);
  memory->total = m != NULL ? m->mem_total : d->mem_total;
  memory->reserved = m != NULL ? 0 : d->mem_reserved;
  memory->used = m != NULL ? m->mem_used : d->mem_used;
  memory->free = memory->total - memory->used - memory->reserved;
  return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t handle, nvmlMemory_t *memory) {
  counts[3]++;
  nvmlReturn_t rc;
  struct fake_device *d = device_of(handle, F_MEMORY, &rc, 1);
  if (d == NULL) return rc;
  if (memory == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  struct fake_mig *m = as_mig(handle);
  /* v1 counts the driver's reservation as used, as real drivers do. */
  memory->total = m != NULL ? m->mem_total : d->mem_total;
  memory->used = m != NULL ? m->mem_used : d->mem_used + d->mem_reserved;
  memory->free = memory->total - memory->used;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t handle, int sensor, unsigned int *temp) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_TEMP, &rc);
  if (d == NULL) return rc;
  if (temp == NULL || sensor != NVML_TEMPERATURE_GPU) return NVML_ERROR_INVALID_ARGUMENT;
  *temp = d->temp;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t handle, unsigned int *power) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_POWER, &rc);
  if (d == NULL) return rc;
  if (power == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  *power = d->power_mw;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t handle, unsigned int *limit) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_POWER_LIMIT, &rc);
  if (d == NULL) return rc;
  if (limit == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  *limit = d->power_limit_mw;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t handle, unsigned long long *energy) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_ENERGY, &rc);
  if (d == NULL) return rc;
  if (energy == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  /* Energy only grows: every read advances it, like a GPU drawing power between polls. */
  d->energy_mj += d->energy_step_mj;
  *energy = d->energy_mj;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t handle, int type, unsigned int *clock) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, type == NVML_CLOCK_MEM ? F_MEM_CLOCK : F_CLOCK, &rc);
  if (d == NULL) return rc;
  if (clock == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (type == NVML_CLOCK_SM) *clock = d->sm_mhz;
  else if (type == NVML_CLOCK_MEM) *clock = d->mem_mhz;
  else if (type == NVML_CLOCK_GRAPHICS) *clock = d->sm_mhz + 111; /* a wrong enum shows */
  else return NVML_ERROR_INVALID_ARGUMENT;
  return NVML_SUCCESS;
}

__attribute__((constructor)) static void loaded(void) { defaults(); }
