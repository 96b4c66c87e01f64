mod waves;
