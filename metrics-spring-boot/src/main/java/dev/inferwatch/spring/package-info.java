/**
 * Spring Boot auto-configuration for Inferwatch: add {@code inferwatch-spring-boot-starter}, set a
 * few {@code inferwatch.*} properties, and a servlet application is instrumented, next to Actuator
 * and Micrometer when they are there.
 */
package dev.inferwatch.spring;
