"""The render stage: every released file object becomes renditions or a document.

Images are rendered once per channel preset (compiler.render); anything that is not
an image (a PDF guide, say) passes through unchanged into ``data/documents/``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from compiler.build.results import ItemResult, located
from compiler.model import Item
from compiler.release import OutputFile
from compiler.render import AssetToRender, RenditionSettings, is_document, render_assets
from compiler.snapshot import Snapshot


def _master(snapshot: Snapshot, asset: Item) -> tuple[str, Path]:
    path = f"files/{asset.id}/{asset.value('file_name')}"
    return path, snapshot.materialize(path)


def _document(asset: Item, master: Path, sha256: str) -> OutputFile:
    name = str(asset.value("file_name") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    return OutputFile(path=f"data/documents/{asset.key}.{extension}", data=master,
                      sha256=sha256, size=master.stat().st_size, kind="document",
                      facts={"media_type": str(asset.value("mime_type") or "")})


def render_files(assets: Sequence[Item], snapshot: Snapshot, settings: RenditionSettings, *,
                 cache_dir: Path, jobs: int | None,
                 progress: Callable[[int, int], None] | None = None
                 ) -> dict[str, ItemResult]:
    """Renditions (or the document) of every file object, by object id.

    ``progress(done, total)`` is told as images finish rendering.
    """
    results: dict[str, ItemResult] = {}
    by_id = {asset.id: asset for asset in assets}
    to_render: list[AssetToRender] = []
    for asset in assets:
        path, master = _master(snapshot, asset)
        sha256 = snapshot.sha256(path)
        if is_document(master):
            results[asset.id] = ItemResult(outputs=[_document(asset, master, sha256)])
            continue
        focal = asset.value("focal_point")
        to_render.append(AssetToRender(
            asset_id=asset.id, key=asset.key, role=str(asset.value("asset_role") or ""),
            master=master, master_sha256=sha256, focal_point=focal,
            file_name=str(asset.value("file_name") or ""),
            mime_type=asset.value("mime_type")))
    done = [0]

    def advance(finished: int) -> None:
        done[0] += finished
        if progress is not None:
            progress(done[0], len(to_render))

    for result in render_assets(to_render, settings, cache_dir=cache_dir, jobs=jobs,
                                progress=advance):
        item = by_id[result.asset_id]
        rendered = ItemResult(diagnostics=[located(d, item) for d in result.diagnostics])
        if not rendered.failed:
            for rendition in result.renditions:
                facts = {"format": rendition.format, "width": rendition.width,
                         "height": rendition.height, "dpi": rendition.dpi,
                         "colour_space": rendition.colour_space,
                         "icc_profile": rendition.icc_profile, "afp_name": rendition.afp_name}
                rendered.outputs.append(OutputFile(
                    path=f"data/{rendition.path}",
                    data=rendition.file if rendition.file is not None else rendition.read(),
                    sha256=rendition.sha256, size=rendition.size, kind="rendition",
                    channel=rendition.channel, preset=rendition.preset, facts=facts))
        results[result.asset_id] = rendered
    return results
