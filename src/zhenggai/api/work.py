"""Every workflow move and every write, each a thin call of one service."""

from ninja import Router

router = Router(tags=["整改流程"])
