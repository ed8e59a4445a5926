/* Placeholder so the core layer builds while it is empty; remove when a real file lands. */
typedef int eimza_core_placeholder;
