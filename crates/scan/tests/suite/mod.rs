
mod results;
