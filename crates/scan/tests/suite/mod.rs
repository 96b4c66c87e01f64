mod i18n;
mod content_model;
mod waves;
mod results;
