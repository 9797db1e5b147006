"""JupyterLab driven by a real chromium: the lessons' explorers and one exercise."""
