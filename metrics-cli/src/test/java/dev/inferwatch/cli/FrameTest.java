package dev.inferwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameTest {

  private static JsonNode json(String text) throws Exception {
    return Endpoint.JSON.readTree(text.replace('\'', '"'));
  }

  private static final String SNAPSHOT =
      "{'service':'shop','env':'prod','version':'1.4.2','uptime_seconds':754,"
          + "'http':{'requests_total':1300,'active_requests':3,'routes':["
          + "{'route':'/orders/{id}','requests_total':1000,'errors_total':4,'p95_seconds':0.045}]},"
          + "'providers':[{'provider':'openai','health_score':97.5,'circuit_state':'closed',"
          + "'requests_total':80,'response_time_seconds':{'p95':0.41},"
          + "'last_error':{'time':'2026-12-02T10:00:00Z','message':'HTTP 503','outcome':'failed'}}],"
          + "'models':[{'model':'sentiment','state':'ready','predictions_total':12,'errors_total':1,'rejected_total':0}],"
          + "'llm':{'streams_active':2,'requests_total':40,'ttft_seconds':{'p95':0.21},'tokens':{'input':100,'output':900}},"
          + "'gpu':{'available':true,'driver_version':'550.54','devices':[{'index':0,'name':'H200',"
          + "'utilization_ratio':0.42,'memory_used_bytes':1073741824,'memory_total_bytes':150000000000,"
          + "'temperature_celsius':51,'power_watts':300}]},"
          + "'events':[{'time':'2026-12-02T10:00:01.123456789Z','type':'circuit_changed','subject':'openai',"
          + "'message':'closed -> open','from':'closed'}],"
          + "'history':{'series':{'http_requests_per_second':[[1,1.0],[2,5.0],[3,null],[4,8.0]],"
          + "'http_p95_seconds':[[4,0.05]]},'providers':{'openai':{'health_score':[[3,90],[4,97.5]]}},"
          + "'gpus':{'0':{'utilization_ratio':[[3,0.2],[4,0.42]]}}}}";

  @Test
  void drawsEverySectionWithTheSnapshotsNumbers() throws Exception {
    JsonNode now = json(SNAPSHOT);
    JsonNode before = json(SNAPSHOT.replace("'requests_total':1000", "'requests_total':900"));
    List<String> lines = new Frame(now, before, 10, "READY", 100, "q quit").lines(60);
    String frame = String.join("\n", lines);

    assertThat(lines.get(0))
        .startsWith("inferwatch top · shop · prod · v1.4.2 · up 12m 34s · READY");
    assertThat(frame)
        .contains("ROUTES", "PROVIDERS", "MODELS", "LLM", "GPU", "EVENTS")
        .contains("/orders/{id}")
        .contains("10.0") // (1000 - 900) requests in 10 s
        .contains("45 ms")
        .contains("openai", "97.5", "closed", "failed: HTTP 503")
        .contains("sentiment", "ready")
        .contains("TTFT p95 210 ms", "tokens in/out 100/900")
        .contains("H200", "42.0%", "1.0 GiB")
        .contains("circuit_changed openai: closed -> open from=closed")
        .contains("▂▅ █") // requests/s 1, 5, unknown, 8
        .contains("q quit");
    assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
  }

  @Test
  void fitsTheTerminalsHeightKeepingTheFooter() throws Exception {
    List<String> lines = new Frame(json(SNAPSHOT), null, 0, "READY", 80, "footer").lines(10);
    assertThat(lines).hasSize(10).last().isEqualTo("footer");
    assertThat(String.join("\n", lines)).contains("…"); // no rate without a previous snapshot
  }

  @Test
  void saysWhatIsMissingInsteadOfFailing() throws Exception {
    List<String> lines = new Frame(json("{}"), null, 0, "READY", 80, "f").lines(40);
    assertThat(String.join("\n", lines))
        .contains("no requests recorded yet", "GPU  none: NVML not available", "none yet");
  }
}
