/**
 * The kit's one credential check ({@code Credentials}: an {@code Authorization} header in, a
 * decision out) and who may read or act ({@code Access}); the servlets and the management port are
 * thin adapters over it.
 *
 * <p><b>Not API.</b> Public only so that the kit's own packages and modules can reach it; it may
 * change in any release.
 */
package dev.inferwatch.core.internal.auth;
