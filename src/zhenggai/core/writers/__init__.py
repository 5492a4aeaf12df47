"""Writers: documents out of the model (plain text now; .docx/.xlsx/PDF later)."""
