"""Key projects (重大项目): import, progress with history, close-out, the status board and the battle map."""
