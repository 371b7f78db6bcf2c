package dev.inferwatch.gpu;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every NVML call is made and its return code judged, shared by the readers of one session.
 *
 * <p>Used by the poller thread and the XID thread. {@code NOT_SUPPORTED}, {@code
 * FUNCTION_NOT_FOUND} (also what a symbol missing from an older driver reads as) and {@code
 * NO_PERMISSION} mark the field unsupported on that device: asked once, left out, not an error.
 * {@code GPU_IS_LOST} marks the device lost for the rest of the poll. Any other code is counted
 * under the function's name and logged once per (function, code).
 *
 * <pre>{@code
 * if (calls.call(device, NvmlDevice.POWER, "nvmlDeviceGetPowerUsage",
 *     () -> nvml.nvmlDeviceGetPowerUsage(device.handle, milliwatts))) {
 *   watts = milliwatts.getValue() / 1000.0;
 * }
 * }</pre>
 */
final class NvmlCalls {

  private static final Logger log = LoggerFactory.getLogger(NvmlCalls.class);

  final Nvml nvml;
  private final Consumer<String> errors;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  NvmlCalls(Nvml nvml, Consumer<String> errors) {
    this.nvml = nvml;
    this.errors = errors;
  }

  /** Makes {@code call} unless {@code field} is known unsupported; whether it succeeded. */
  boolean call(NvmlDevice d, int field, String function, IntSupplier call) {
    if (d.skips(field)) {
      return false;
    }
    return classify(d, field, function, invoke(call));
  }

  /** Judges {@code rc} of {@code function} for {@code field} on {@code d}; whether it succeeded. */
  boolean classify(NvmlDevice d, int field, String function, int rc) {
    switch (rc) {
      case Nvml.SUCCESS:
        return true;
      case Nvml.ERROR_NOT_SUPPORTED:
      case Nvml.ERROR_FUNCTION_NOT_FOUND:
        d.unsupported |= field;
        return false;
      case Nvml.ERROR_NO_PERMISSION:
        d.unsupported |= field;
        if (warned.add(function + ":permission")) {
          log.info(
              "NVML {} needs more privileges on GPU {}; that reading is left out",
              function,
              d.label);
        }
        return false;
      case Nvml.ERROR_GPU_IS_LOST:
        d.lost = true;
        errors.accept(function);
        if (warned.add("lost:" + d.label)) {
          log.warn(
              "GPU {} ({}) is lost: NVML answered GPU_IS_LOST; its readings are absent",
              d.label,
              d.uuid);
        }
        return false;
      default:
        failed(function, rc, "GPU " + d.label);
        return false;
    }
  }

  /** Counts a failed call that is not about one field, logging the first of each code. */
  void failed(String function, int rc, String where) {
    errors.accept(function);
    if (warned.add(function + ":" + rc)) {
      log.warn(
          "NVML {} failed on {}: {}; further failures are only counted in gpu_nvml_errors_total",
          function,
          where,
          describe(nvml, rc));
    }
  }

  /** Calls into NVML; a function the loaded library lacks reads as {@code FUNCTION_NOT_FOUND}. */
  static int invoke(IntSupplier call) {
    try {
      return call.getAsInt();
    } catch (UnsatisfiedLinkError e) {
      return Nvml.ERROR_FUNCTION_NOT_FOUND;
    }
  }

  /** NVML's own words for {@code rc}, with the code. */
  static String describe(Nvml nvml, int rc) {
    String text;
    try {
      text = nvml.nvmlErrorString(rc);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      text = null;
    }
    return (text == null ? "error" : text) + " (" + rc + ")";
  }
}
