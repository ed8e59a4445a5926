/* Placeholder so the web layer builds while it is empty; remove when a real file lands. */
typedef int eimza_web_placeholder;
