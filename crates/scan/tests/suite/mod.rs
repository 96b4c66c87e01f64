mod content_model;
mod i18n;
mod results;
mod waves;
