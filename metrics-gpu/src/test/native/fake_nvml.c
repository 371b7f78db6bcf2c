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
 *   gcc -shared -fPIC -o libnvidia-ml.so.1 fake_nvml.c -lpthread
 *   -DNO_MEMORY_V2   a driver before R510
 *   -DOLD_DRIVER     a driver before R450: no memory v2, clock event reasons (throttle reasons
 *                    only), processes v3 (v2 only), row remapper, MIG, CUDA version v2, event wait v2
 *   -DNO_EVENTS      a driver without the event API (as under WSL)
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#ifdef OLD_DRIVER
#define NO_MEMORY_V2
#endif

typedef int nvmlReturn_t;
typedef struct fake_device *nvmlDevice_t;
typedef struct fake_event_set *nvmlEventSet_t;

#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_NO_PERMISSION 4
#define NVML_ERROR_NOT_FOUND 6
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_DRIVER_NOT_LOADED 9
#define NVML_ERROR_TIMEOUT 10
#define NVML_ERROR_GPU_IS_LOST 15
#define NVML_ERROR_ARGUMENT_VERSION_MISMATCH 25
#define NVML_ERROR_UNKNOWN 999

#define NVML_TEMPERATURE_GPU 0
#define NVML_CLOCK_GRAPHICS 0
#define NVML_CLOCK_SM 1
#define NVML_CLOCK_MEM 2
#define NVML_DEVICE_NAME_V2_BUFFER_SIZE 96
#define NVML_DEVICE_UUID_V2_BUFFER_SIZE 96
#define NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE 80
#define NVML_FI_DEV_MEMORY_TEMP 82
#define NVML_VALUE_TYPE_UNSIGNED_INT 1
#define NVML_MEMORY_ERROR_TYPE_CORRECTED 0
#define NVML_MEMORY_ERROR_TYPE_UNCORRECTED 1
#define NVML_VOLATILE_ECC 0
#define NVML_AGGREGATE_ECC 1
#define NVML_PCIE_UTIL_TX_BYTES 0
#define NVML_PCIE_UTIL_RX_BYTES 1
#define NVML_DEVICE_MIG_ENABLE 1
#define NVML_MAX_MIG 7
#define nvmlEventTypeXidCriticalError 0x0000000000000008LL

typedef struct nvmlUtilization_st {
  unsigned int gpu;
  unsigned int memory;
} nvmlUtilization_t;

typedef struct nvmlMemory_st {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
} nvmlMemory_t;

typedef struct nvmlMemory_v2_st {
  unsigned int version;
  unsigned long long total;
  unsigned long long reserved;
  unsigned long long free;
  unsigned long long used;
} nvmlMemory_v2_t;

typedef union nvmlValue_st {
  double dVal;
  unsigned int uiVal;
  unsigned long ulVal;
  unsigned long long ullVal;
  signed long long sllVal;
  signed int siVal;
} nvmlValue_t;

typedef struct nvmlFieldValue_st {
  unsigned int fieldId;
  unsigned int scopeId;
  long long timestamp;
  long long latencyUsec;
  int valueType;
  nvmlReturn_t nvmlReturn;
  nvmlValue_t value;
} nvmlFieldValue_t;

typedef struct nvmlProcessInfo_st {
  unsigned int pid;
  unsigned long long usedGpuMemory;
  unsigned int gpuInstanceId;
  unsigned int computeInstanceId;
} nvmlProcessInfo_t;

typedef struct nvmlEventData_st {
  nvmlDevice_t device;
  unsigned long long eventType;
  unsigned long long eventData;
  unsigned int gpuInstanceId;
  unsigned int computeInstanceId;
} nvmlEventData_t;

/* The layouts the Java side reads at fixed offsets: a mistake here fails the build. */
_Static_assert(sizeof(nvmlFieldValue_t) == 40, "nvmlFieldValue_t is 40 bytes");
_Static_assert(sizeof(nvmlProcessInfo_t) == 24, "nvmlProcessInfo_t is 24 bytes");
_Static_assert(sizeof(nvmlEventData_t) == 32, "nvmlEventData_t is 32 bytes");

#define NVML_STRUCT_VERSION(data, ver) \
  (unsigned int)(sizeof(nvml##data##_v##ver##_t) | ((ver) << 24U))
#define nvmlMemory_v2 NVML_STRUCT_VERSION(Memory, 2)

/* Which call a test makes fail: index into fail[] of a device. */
enum {
  F_HANDLE, F_NAME, F_UUID, F_UTIL, F_MEMORY, F_TEMP, F_POWER, F_ENERGY, F_CLOCK, F_MEM_CLOCK,
  F_FIELDS, F_MEM_TEMP, F_POWER_LIMIT, F_REASONS, F_ECC, F_REMAPPED, F_PCIE_REPLAY,
  F_PCIE_THROUGHPUT, F_PROCESSES, F_MIG_MODE, F_EVENTS, F_COUNT
};
static const char *CALLS[F_COUNT] = {
    "handle", "name", "uuid", "utilization", "memory", "temperature", "power", "energy", "clock",
    "memory_clock", "field_values", "memory_temperature", "power_limit", "clock_reasons", "ecc",
    "remapped_rows", "pcie_replay", "pcie_throughput", "processes", "mig_mode", "events"};

#define MAX_DEVICES 8
#define MAX_PROCESSES 16
#define QUEUE 16384

struct fake_mig {
  struct fake_device *parent;
  unsigned int gi;
  unsigned long long mem_total, mem_used;
};

struct fake_device {
  unsigned int util_gpu, util_mem, temp, mem_temp, power_mw, power_limit_mw, sm_mhz, mem_mhz;
  unsigned int remap_corr, remap_unc, remap_pending, remap_failed, pcie_replays, pcie_tx_kbs,
      pcie_rx_kbs, mig_capable, mig_count;
  unsigned long long mem_total, mem_used, mem_reserved, energy_mj, energy_step_mj, reasons,
      ecc_corr, ecc_unc;
  unsigned int proc_count;
  unsigned int proc_pid[MAX_PROCESSES], proc_gi[MAX_PROCESSES];
  unsigned long long proc_mem[MAX_PROCESSES];
  struct fake_mig mig[NVML_MAX_MIG];
  int fail[F_COUNT];
  int calls[F_COUNT];
};

struct fake_event {
  int device;
  unsigned long long xid;
  unsigned int gi;
};

struct fake_event_set {
  int in_use;
  unsigned long long registered[MAX_DEVICES];
};

static struct fake_device devices[MAX_DEVICES];
static unsigned int device_count;
static int initialised;
static int init_rc, memory_v2_rc, cuda_rc, event_set_rc, event_wait_rc;
static int counts[16]; /* see fake_count */
static struct fake_event_set sets[4];
static struct fake_event queue[QUEUE];
static unsigned int head, tail; /* queue[head..tail) */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t arrived = PTHREAD_COND_INITIALIZER;

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

/* Queues `n` XID events with codes xid, xid + step, ...; returns how many fit in the queue. */
int fake_inject_xid(int dev, unsigned long long xid, int n, unsigned long long step,
                    unsigned int gi) {
  if (dev < 0 || dev >= MAX_DEVICES) return -1;
  int queued = 0;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < n && tail - head < QUEUE; i++) {
    struct fake_event *e = &queue[tail % QUEUE];
    e->device = dev;
    e->xid = xid + (unsigned long long)i * step;
    e->gi = gi;
    tail++;
    queued++;
  }
  pthread_cond_broadcast(&arrived);
  pthread_mutex_unlock(&lock);
  return queued;
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

static struct fake_mig *as_mig(nvmlDevice_t handle) {
  for (unsigned int i = 0; i < device_count; i++) {
    struct fake_device *d = &devices[i];
    for (unsigned int m = 0; m < d->mig_count; m++) {
      if ((void *)handle == (void *)&d->mig[m]) return &d->mig[m];
    }
  }
  return NULL;
}

/* The physical device of `handle` (a MIG handle resolves to its parent when mig_ok). */
static struct fake_device *device_of(nvmlDevice_t handle, int call, nvmlReturn_t *rc, int mig_ok) {
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

static struct fake_device *device(nvmlDevice_t handle, int call, nvmlReturn_t *rc) {
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

#ifndef NO_EVENTS
nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t *set) {
  if (!initialised) return NVML_ERROR_UNINITIALIZED;
  if (set == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (event_set_rc != NVML_SUCCESS) return event_set_rc;
  pthread_mutex_lock(&lock);
  for (int s = 0; s < 4; s++) {
    if (!sets[s].in_use) {
      memset(&sets[s], 0, sizeof sets[s]);
      sets[s].in_use = 1;
      *set = &sets[s];
      counts[5]++;
      pthread_mutex_unlock(&lock);
      return NVML_SUCCESS;
    }
  }
  pthread_mutex_unlock(&lock);
  return NVML_ERROR_UNKNOWN;
}

nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t handle, unsigned long long types,
                                      nvmlEventSet_t set) {
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_EVENTS, &rc);
  if (d == NULL) return rc;
  if (set == NULL || !set->in_use) return NVML_ERROR_INVALID_ARGUMENT;
  if (types & ~nvmlEventTypeXidCriticalError) return NVML_ERROR_NOT_SUPPORTED;
  pthread_mutex_lock(&lock);
  set->registered[d - devices] |= types;
  pthread_mutex_unlock(&lock);
  return NVML_SUCCESS;
}

/* Takes the next queued event of a registered device, waiting up to `timeoutms`. */
static nvmlReturn_t event_wait(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeoutms) {
  if (!initialised) return NVML_ERROR_UNINITIALIZED;
  if (set == NULL || data == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  counts[7]++;
  if (event_wait_rc != NVML_SUCCESS) return event_wait_rc;
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += timeoutms / 1000;
  deadline.tv_nsec += (long)(timeoutms % 1000) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec++;
    deadline.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&lock);
  for (;;) {
    if (!set->in_use) {
      pthread_mutex_unlock(&lock);
      return NVML_ERROR_INVALID_ARGUMENT;
    }
    while (head != tail) {
      struct fake_event e = queue[head % QUEUE];
      head++;
      if (!(set->registered[e.device] & nvmlEventTypeXidCriticalError)) continue;
      data->device = &devices[e.device];
      data->eventType = nvmlEventTypeXidCriticalError;
      data->eventData = e.xid;
      data->gpuInstanceId = e.gi;
      data->computeInstanceId = e.gi == 0xFFFFFFFFu ? 0xFFFFFFFFu : 0;
      pthread_mutex_unlock(&lock);
      return NVML_SUCCESS;
    }
    if (pthread_cond_timedwait(&arrived, &lock, &deadline) == ETIMEDOUT) {
      pthread_mutex_unlock(&lock);
      return NVML_ERROR_TIMEOUT;
    }
  }
}

#ifndef OLD_DRIVER
nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeoutms) {
  return event_wait(set, data, timeoutms);
}
#endif

nvmlReturn_t nvmlEventSetWait(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeoutms) {
  return event_wait(set, data, timeoutms);
}

nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set) {
  if (set == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  pthread_mutex_lock(&lock);
  if (!set->in_use) {
    pthread_mutex_unlock(&lock);
    return NVML_ERROR_INVALID_ARGUMENT;
  }
  set->in_use = 0;
  counts[6]++;
  pthread_cond_broadcast(&arrived);
  pthread_mutex_unlock(&lock);
  return NVML_SUCCESS;
}
#endif

__attribute__((constructor)) static void loaded(void) { defaults(); }
