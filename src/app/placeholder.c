/* Placeholder so the app layer builds while it is empty; remove when a real file lands. */
typedef int eimza_app_placeholder;
