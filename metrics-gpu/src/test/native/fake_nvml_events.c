/* The fake libnvidia-ml.so's XID events, injected at runtime by the test (see fake_nvml.c). */
#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "fake_nvml.h"

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
