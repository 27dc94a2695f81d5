"""The model stage: an export's objects as typed products, assets, blocks and offers."""

from compiler.model.items import Governance, Item, Localised, Model, asset_key
from compiler.model.load import ExportFiles, Loaded, load_model, read_modules

__all__ = ["ExportFiles", "Governance", "Item", "Loaded", "Localised", "Model", "asset_key",
           "load_model", "read_modules"]
