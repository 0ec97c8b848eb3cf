from lesionlab_trainer.models.registry import MODEL_NAMES, ModelSpec, build_model, count_parameters

__all__ = ["MODEL_NAMES", "ModelSpec", "build_model", "count_parameters"]
