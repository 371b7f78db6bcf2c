/* Types, constants and shared state of the fake libnvidia-ml.so (see fake_nvml.c). */
#ifndef FAKE_NVML_H
#define FAKE_NVML_H

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

extern struct fake_device devices[MAX_DEVICES];
extern unsigned int device_count;
extern int initialised;
extern int init_rc, memory_v2_rc, cuda_rc, event_set_rc, event_wait_rc;
extern int counts[16]; /* see fake_count */
extern struct fake_event_set sets[4];
extern struct fake_event queue[QUEUE];
extern unsigned int head, tail; /* queue[head..tail) */
extern pthread_mutex_t lock;
extern pthread_cond_t arrived;

/* The MIG instance `handle` points at, or NULL. */
struct fake_mig *as_mig(nvmlDevice_t handle);
/* The physical device of `handle` with `call`'s injected code in *rc (NULL unless it is 0); a
 * MIG handle resolves to its parent when mig_ok. */
struct fake_device *device_of(nvmlDevice_t handle, int call, nvmlReturn_t *rc, int mig_ok);
/* device_of for a physical handle only. */
struct fake_device *device(nvmlDevice_t handle, int call, nvmlReturn_t *rc);

#endif
