"""Small render helpers shared by the studio's pages."""
