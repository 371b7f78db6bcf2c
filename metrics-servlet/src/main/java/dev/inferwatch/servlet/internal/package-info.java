/**
 * Plumbing shared by the servlet pack's packages: the servlet base classes, the shared instance of
 * a web application, JSON bodies, request bodies and client-disconnect detection.
 *
 * <p><b>Not API.</b> Public only so that the kit's own packages and modules can reach it; it may
 * change in any release (the {@code okhttp3.internal} precedent).
 */
package dev.inferwatch.servlet.internal;
