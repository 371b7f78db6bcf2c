/**
 * LangChain4j integration: {@link dev.inferwatch.langchain4j.InferwatchChatModelListener}, a {@code
 * ChatModelListener} that records the {@code gen_ai_client_*} families and the provider outcome of
 * every call a LangChain4j chat model makes, with no code at the call sites.
 */
package dev.inferwatch.langchain4j;
