"""The demo city 海川市: a generated, realistic data set (`generator`, pure) and its loader (`loader`, Django)."""
