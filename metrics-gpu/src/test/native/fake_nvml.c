/*
 * A fake libnvidia-ml.so for tests: the NVML functions the GPU module binds, with the
 * signatures, struct layouts and return codes of NVIDIA's nvml.h, over two devices whose
 * values the test sets through the fake_* functions (called through JNA).
 *
 * It checks what a real driver checks and a layout mistake would break: the nvmlMemory_v2_t
 * version word, buffer lengths, the sensor and clock enums, handles, and init before use.
 * Built with: gcc -shared -fPIC -o libnvidia-ml.so.1 fake_nvml.c (-DNO_MEMORY_V2: an old driver)
 */
#include <stdio.h>
#include <string.h>

typedef int nvmlReturn_t;
typedef struct fake_device *nvmlDevice_t;

#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_NOT_FOUND 6
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_DRIVER_NOT_LOADED 9
#define NVML_ERROR_GPU_IS_LOST 15
#define NVML_ERROR_ARGUMENT_VERSION_MISMATCH 25
#define NVML_ERROR_UNKNOWN 999

#define NVML_TEMPERATURE_GPU 0
#define NVML_CLOCK_GRAPHICS 0
#define NVML_CLOCK_SM 1
#define NVML_DEVICE_NAME_V2_BUFFER_SIZE 96
#define NVML_DEVICE_UUID_V2_BUFFER_SIZE 96
#define NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE 80

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

#define NVML_STRUCT_VERSION(data, ver) \
  (unsigned int)(sizeof(nvml##data##_v##ver##_t) | ((ver) << 24U))
#define nvmlMemory_v2 NVML_STRUCT_VERSION(Memory, 2)

/* Which call a test makes fail: index into fail[] of a device. */
enum { F_HANDLE, F_NAME, F_UUID, F_UTIL, F_MEMORY, F_TEMP, F_POWER, F_ENERGY, F_CLOCK, F_COUNT };
static const char *CALLS[F_COUNT] = {"handle", "name", "uuid", "utilization", "memory",
                                     "temperature", "power", "energy", "clock"};

#define DEVICES 2

struct fake_device {
  unsigned int util_gpu, util_mem, temp, power_mw, sm_mhz;
  unsigned long long mem_total, mem_used, mem_reserved, energy_mj, energy_step_mj;
  int fail[F_COUNT];
};

static struct fake_device devices[DEVICES];
static int initialised;
static int init_rc;
static int memory_v2_rc;
static int counts[8]; /* init, shutdown, memory_v2, memory_v1 */

static void defaults(void) {
  memset(devices, 0, sizeof devices);
  for (int i = 0; i < DEVICES; i++) {
    devices[i].util_gpu = 40 + i;
    devices[i].util_mem = 20 + i;
    devices[i].temp = 50 + i;
    devices[i].power_mw = 150000 + i * 1000;
    devices[i].sm_mhz = 1410 + i;
    devices[i].mem_total = 85899345920ULL;
    devices[i].mem_used = 1073741824ULL * (i + 1);
    devices[i].mem_reserved = 536870912ULL;
    devices[i].energy_mj = 1000000ULL * (i + 1);
    devices[i].energy_step_mj = 1500;
  }
  initialised = 0;
  init_rc = NVML_SUCCESS;
  memory_v2_rc = NVML_SUCCESS;
  memset(counts, 0, sizeof counts);
}

static int call_index(const char *call) {
  for (int i = 0; i < F_COUNT; i++) {
    if (strcmp(CALLS[i], call) == 0) {
      return i;
    }
  }
  return -1;
}

/* ---- control, called by the test ---- */

void fake_reset(void) { defaults(); }

/* Sets one value of device `dev`, or a global ("init_rc", "memory_v2_rc") when dev < 0. */
int fake_set(int dev, const char *key, unsigned long long value) {
  if (dev < 0) {
    if (strcmp(key, "init_rc") == 0) init_rc = (int)value;
    else if (strcmp(key, "memory_v2_rc") == 0) memory_v2_rc = (int)value;
    else return -1;
    return 0;
  }
  if (dev >= DEVICES) return -1;
  struct fake_device *d = &devices[dev];
  if (strcmp(key, "util_gpu") == 0) d->util_gpu = (unsigned int)value;
  else if (strcmp(key, "util_mem") == 0) d->util_mem = (unsigned int)value;
  else if (strcmp(key, "temp") == 0) d->temp = (unsigned int)value;
  else if (strcmp(key, "power_mw") == 0) d->power_mw = (unsigned int)value;
  else if (strcmp(key, "sm_mhz") == 0) d->sm_mhz = (unsigned int)value;
  else if (strcmp(key, "mem_total") == 0) d->mem_total = value;
  else if (strcmp(key, "mem_used") == 0) d->mem_used = value;
  else if (strcmp(key, "energy_mj") == 0) d->energy_mj = value;
  else if (strcmp(key, "energy_step_mj") == 0) d->energy_step_mj = value;
  else return -1;
  return 0;
}

/* Makes `call` ("memory", ..., or "*" for every device call) of device `dev` return `rc`. */
int fake_fail(int dev, const char *call, int rc) {
  if (dev < 0 || dev >= DEVICES) return -1;
  if (strcmp(call, "*") == 0) {
    for (int i = 0; i < F_COUNT; i++) devices[dev].fail[i] = rc;
    return 0;
  }
  int i = call_index(call);
  if (i < 0) return -1;
  devices[dev].fail[i] = rc;
  return 0;
}

/* How often "init", "shutdown", "memory_v2" or "memory_v1" was called. */
int fake_count(const char *what) {
  if (strcmp(what, "init") == 0) return counts[0];
  if (strcmp(what, "shutdown") == 0) return counts[1];
  if (strcmp(what, "memory_v2") == 0) return counts[2];
  if (strcmp(what, "memory_v1") == 0) return counts[3];
  return -1;
}

/* ---- NVML ---- */

static struct fake_device *device(nvmlDevice_t handle, int call, nvmlReturn_t *rc) {
  if (!initialised) {
    *rc = NVML_ERROR_UNINITIALIZED;
    return NULL;
  }
  for (int i = 0; i < DEVICES; i++) {
    if (handle == &devices[i]) {
      *rc = devices[i].fail[call];
      return *rc == NVML_SUCCESS ? &devices[i] : NULL;
    }
  }
  *rc = NVML_ERROR_INVALID_ARGUMENT;
  return NULL;
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
    case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
    case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
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

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
  if (!initialised) return NVML_ERROR_UNINITIALIZED;
  if (count == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  *count = DEVICES;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *handle) {
  if (!initialised) return NVML_ERROR_UNINITIALIZED;
  if (handle == NULL || index >= DEVICES) return NVML_ERROR_INVALID_ARGUMENT;
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
  struct fake_device *d = device(handle, F_UUID, &rc);
  if (d == NULL) return rc;
  if (uuid == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (length < NVML_DEVICE_UUID_V2_BUFFER_SIZE) return NVML_ERROR_INSUFFICIENT_SIZE;
  snprintf(uuid, length, "GPU-00000000-0000-0000-0000-00000000000%d", (int)(d - devices));
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
  struct fake_device *d = device(handle, F_MEMORY, &rc);
  if (d == NULL) return rc;
  if (memory == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (memory->version != nvmlMemory_v2) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
  memory->total = d->mem_total;
  memory->reserved = d->mem_reserved;
  memory->used = d->mem_used;
  memory->free = d->mem_total - d->mem_used - d->mem_reserved;
  return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t handle, nvmlMemory_t *memory) {
  counts[3]++;
  nvmlReturn_t rc;
  struct fake_device *d = device(handle, F_MEMORY, &rc);
  if (d == NULL) return rc;
  if (memory == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  /* v1 counts the driver's reservation as used, as real drivers do. */
  memory->total = d->mem_total;
  memory->used = d->mem_used + d->mem_reserved;
  memory->free = d->mem_total - memory->used;
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
  struct fake_device *d = device(handle, F_CLOCK, &rc);
  if (d == NULL) return rc;
  if (clock == NULL) return NVML_ERROR_INVALID_ARGUMENT;
  if (type == NVML_CLOCK_SM) *clock = d->sm_mhz;
  else if (type == NVML_CLOCK_GRAPHICS) *clock = d->sm_mhz + 111; /* a wrong enum shows */
  else return NVML_ERROR_INVALID_ARGUMENT;
  return NVML_SUCCESS;
}

__attribute__((constructor)) static void loaded(void) { defaults(); }
