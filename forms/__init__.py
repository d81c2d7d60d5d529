"""WTForms classes, one module per area. Input is validated here and only here."""
