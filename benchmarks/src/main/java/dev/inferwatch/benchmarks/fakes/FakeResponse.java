package dev.inferwatch.benchmarks.fakes;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.util.HashMap;
import java.util.Map;

/** A response that keeps status and headers and counts the body bytes it discards. */
public final class FakeResponse extends HttpServletResponseWrapper {

  private final Map<String, String> headers = new HashMap<>();
  private final Body body = new Body();
  private int status;

  /** A response whose status starts at {@code status}. */
  public FakeResponse(int status) {
    super(Unsupported.of(HttpServletResponse.class));
    this.status = status;
  }

  /** Back to a fresh 200 with no headers and no body, so one instance serves every iteration. */
  public void clear() {
    headers.clear();
    body.bytes = 0;
    status = 200;
  }

  /** Body bytes written since the last {@link #clear()}. */
  public long bodyBytes() {
    return body.bytes;
  }

  @Override
  public int getStatus() {
    return status;
  }

  @Override
  public void setStatus(int status) {
    this.status = status;
  }

  @Override
  public boolean isCommitted() {
    return false;
  }

  @Override
  public void setHeader(String name, String value) {
    headers.put(name, value);
  }

  @Override
  public void addHeader(String name, String value) {
    headers.put(name, value);
  }

  @Override
  public String getHeader(String name) {
    return headers.get(name);
  }

  @Override
  public boolean containsHeader(String name) {
    return headers.containsKey(name);
  }

  @Override
  public void setContentType(String type) {
    headers.put("Content-Type", type);
  }

  @Override
  public void setContentLength(int length) {}

  @Override
  public void setContentLengthLong(long length) {}

  @Override
  public ServletOutputStream getOutputStream() {
    return body;
  }

  private static final class Body extends ServletOutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {}
  }
}
