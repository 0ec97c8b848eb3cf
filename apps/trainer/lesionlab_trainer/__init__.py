"""LesionLab trainer: JCS models, training, evaluation, prediction, export and benchmarks."""

__version__ = "0.1.0"
