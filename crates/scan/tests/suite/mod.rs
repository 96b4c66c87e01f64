mod content_model;
