package dev.inferwatch.servlet.chat;

import dev.inferwatch.core.llm.FinishReason;
import dev.inferwatch.core.llm.LlmRecorder;
import dev.inferwatch.servlet.internal.PendingAnswer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One non-streaming chat completion on the servlet's bounded workers: the container thread is
 * released at once, the model's blocking {@link ChatModel#complete} runs on a worker, and the
 * answer (or the 504, 503 or the model's error) is written on the async context.
 */
final class PendingCompletion extends PendingAnswer {

  private final ChatServing owner;
  private final ChatModel model;
  private final ChatRequest request;
  private final ChatWire wire;
  private final LlmRecorder recorder;

  PendingCompletion(
      AsyncContext async,
      ChatServing owner,
      ChatModel model,
      ChatRequest request,
      ChatWire wire,
      LlmRecorder recorder) {
    super(
        (HttpServletRequest) async.getRequest(),
        (HttpServletResponse) async.getResponse(),
        async,
        owner.internalErrors());
    this.owner = owner;
    this.model = model;
    this.request = request;
    this.wire = wire;
    this.recorder = recorder;
  }

  @Override
  protected void markQueued() {
    recorder.queued();
  }

  @Override
  protected void markRunning() {
    recorder.running();
  }

  @Override
  protected Answer compute() throws Exception {
    ChatCompletion completion = model.complete(request);
    FinishReason reason =
        completion.finishReason() == null ? FinishReason.STOP : completion.finishReason();
    return new Answer(
        200,
        wire.completion(completion),
        () -> ChatCompletionsServlet.finish(recorder, reason, completion.usage()));
  }

  @Override
  protected Answer failed(Throwable failure) {
    String message = String.valueOf(failure.getMessage());
    ChatModelException error =
        failure instanceof ChatModelException chatError
            ? chatError
            : new ChatModelException(500, "server_error", message, null, "model_error");
    return answer(error, failure.getClass().getSimpleName(), message);
  }

  @Override
  protected Answer timedOut() {
    return answer(
        new ChatModelException(
            504, "server_error", "no answer within the timeout", null, "timeout"),
        "timeout",
        "no answer within the timeout");
  }

  @Override
  protected Answer shutdownAnswer() {
    return answer(
        new ChatModelException(503, "server_error", "server is shutting down", null, "shutdown"),
        "shutdown",
        "server is shutting down");
  }

  @Override
  protected void clientLeft() {
    recorder.disconnect();
  }

  @Override
  protected void settled() {
    owner.forget(this);
  }

  private Answer answer(ChatModelException error, String errorType, String message) {
    return new Answer(
        error.status(),
        ChatWire.error(
            String.valueOf(error.getMessage()), error.type(), error.param(), error.code()),
        () -> recorder.fail(errorType, message));
  }
}
